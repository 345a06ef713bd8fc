/** @module A version's status in one environment: draft, active, deprecated. */
import type { VersionStatus } from "@tradai/core";
import { Badge } from "@/components/ui/badge";

const TONES = { draft: "neutral", active: "success", deprecated: "warning" } as const;

export function VersionStatusBadge({ status, explicit }: { status: VersionStatus; explicit?: boolean }) {
  return (
    <Badge tone={explicit ? "danger" : TONES[status]} data-status={status}>
      {explicit ? "deprecated (final)" : status}
    </Badge>
  );
}
