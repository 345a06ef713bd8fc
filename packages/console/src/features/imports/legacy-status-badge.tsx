/**
 * @module A registry item's status in the legacy config-versions registry (DRAFT, ACTIVE,
 * DEPRECATED), or FILE for a strategy's YAML file, shown as the registry spells it.
 */
import { Badge } from "@/components/ui/badge";

const TONES: Record<string, "neutral" | "success" | "warning" | "info"> = {
  DRAFT: "neutral",
  ACTIVE: "success",
  DEPRECATED: "warning",
  FILE: "info",
};

export function LegacyStatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return "—";
  return (
    <Badge tone={TONES[status] ?? "neutral"} data-status={status} title={status === "FILE" ? "a YAML file" : undefined}>
      {status}
    </Badge>
  );
}
