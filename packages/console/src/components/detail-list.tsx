/** @module A list of labelled details (label, then value) that stacks on a phone: one look for every details card. */
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";

/** The list: a `<dl>` of DetailRows. */
export function DetailList({ className, children }: { className?: string; children: ReactNode }) {
  return <dl className={cn("space-y-2 text-sm", className)}>{children}</dl>;
}

/** One detail: its label and its value. */
export function DetailRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 sm:grid-cols-[10rem_1fr]" data-detail={label}>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}
