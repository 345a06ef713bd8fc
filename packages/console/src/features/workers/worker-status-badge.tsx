import type { WorkerView } from "@tradai/core";
import { Badge } from "@/components/ui/badge";

const tone = { ok: "success", lagging: "warning", refused: "danger", stale: "danger" } as const;

export function WorkerStatusBadge({ status }: { status: WorkerView["status"] }) {
  return <Badge tone={tone[status]}>{status}</Badge>;
}
