import type { RunStatus } from "@tradai/core";
import { Badge } from "@/components/ui/badge";

const tone = {
  queued: "neutral",
  running: "info",
  completed: "success",
  failed: "danger",
  cancelled: "warning",
} as const;

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <Badge tone={tone[status]} data-testid="run-status">
      {status}
    </Badge>
  );
}
