import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";
import { TableScrollBox } from "../table-scroll-box";

/**
 * A table that scrolls sideways inside its own box on a narrow screen instead of breaking the page,
 * and shows that it does (see TableScrollBox).
 */
export function Table({ className, ...props }: ComponentProps<"table">) {
  return (
    <TableScrollBox label={props["aria-label"]}>
      <table className={cn("w-full caption-bottom text-sm", className)} {...props} />
    </TableScrollBox>
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
