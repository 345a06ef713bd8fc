/** @module A legacy mirror's status: ok, lagging, failing, off (its meaning on hover). */
import type { LegacyMirrorView } from "@tradai/core";
import { Badge } from "@/components/ui/badge";

const TONES = { ok: "success", lagging: "warning", failing: "danger", off: "neutral" } as const;

const MEANING = {
  ok: "the legacy row holds the latest resolved config",
  lagging: "the legacy row is behind the resolved config",
  failing: "the legacy row is behind, and the last write failed",
  off: "the mirror does not write",
} as const;

export function LegacyMirrorStatusBadge({ status }: { status: LegacyMirrorView["status"] }) {
  return (
    <Badge tone={TONES[status]} title={MEANING[status]} data-status={status}>
      {status}
    </Badge>
  );
}
