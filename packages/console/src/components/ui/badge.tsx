import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";

// Dark text on light fills: every pair passes WCAG AA contrast.
const badgeVariants = cva("inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-medium", {
  variants: {
    tone: {
      neutral: "border-slate-300 bg-slate-100 text-slate-800",
      info: "border-blue-300 bg-blue-50 text-blue-900",
      success: "border-green-300 bg-green-50 text-green-900",
      warning: "border-amber-300 bg-amber-50 text-amber-900",
      danger: "border-red-300 bg-red-50 text-red-900",
    },
  },
  defaultVariants: { tone: "neutral" },
});

export function Badge({ className, tone, ...props }: ComponentProps<"span"> & VariantProps<typeof badgeVariants>) {
  return <span className={cn(badgeVariants({ tone }), className)} {...props} />;
}
