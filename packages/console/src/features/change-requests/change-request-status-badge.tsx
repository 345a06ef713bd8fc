/** @module A change request's status. */
import type { ChangeRequestStatus } from "@tradai/core";
import { Badge } from "@/components/ui/badge";

const TONES = {
  pending: "warning",
  applied: "success",
  rejected: "danger",
  stale: "neutral",
  expired: "neutral",
} as const;

export function ChangeRequestStatusBadge({ status }: { status: ChangeRequestStatus }) {
  return (
    <Badge tone={TONES[status]} data-status={status}>
      {status}
    </Badge>
  );
}
