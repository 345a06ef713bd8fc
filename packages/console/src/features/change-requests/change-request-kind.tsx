/** @module A change request's kind as a badge. */
import type { ChangeRequest } from "@tradai/core";
import { Badge } from "@/components/ui/badge";
import { KIND_TITLES } from "./change-request-text";

export function ChangeRequestKindBadge({ kind }: { kind: ChangeRequest["kind"] }) {
  return (
    <Badge tone={kind === "catalog" || kind === "environment_policy" ? "info" : "neutral"} data-kind={kind}>
      {KIND_TITLES[kind].toLowerCase()}
    </Badge>
  );
}
