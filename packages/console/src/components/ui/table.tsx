import { type ComponentProps, useEffect, useRef, useState } from "react";
import { cn } from "@/lib/utils";

/**
 * A table that scrolls sideways inside its own box on a narrow screen instead of breaking the page.
 * While it does scroll, the box is a labelled tab stop, so the keyboard can scroll it too (WCAG:
 * scrollable regions must be reachable by keyboard). `relative`: the box contains any sr-only
 * text in its cells, which would otherwise widen the whole page on a phone.
 */
export function Table({ className, ...props }: ComponentProps<"table">) {
  const box = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setScrolls(element.scrollWidth > element.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, []);
  const label = props["aria-label"];
  return (
    <div
      ref={box}
      className="relative w-full overflow-x-auto focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
      {...(scrolls
        ? {
            tabIndex: 0,
            role: "region",
            "aria-label": label ? `${label} (scrolls sideways)` : "Table (scrolls sideways)",
          }
        : {})}
    >
      <table className={cn("w-full caption-bottom text-sm", className)} {...props} />
    </div>
  );
}
export function THead(props: ComponentProps<"thead">) {
  return <thead className="border-b bg-muted/60 text-left" {...props} />;
}
export function TBody(props: ComponentProps<"tbody">) {
  return <tbody className="[&_tr:last-child]:border-0" {...props} />;
}
export function Tr({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={cn("border-b hover:bg-muted/40", className)} {...props} />;
}
export function Th({ className, ...props }: ComponentProps<"th">) {
  return <th scope="col" className={cn("h-9 px-3 font-medium text-muted-foreground", className)} {...props} />;
}
export function Td({ className, ...props }: ComponentProps<"td">) {
  return <td className={cn("px-3 py-2 align-top", className)} {...props} />;
}
