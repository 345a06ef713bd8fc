/** @module Reviewing a change request: approve (optional comment), reject (comment required), break glass (admin, reason). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ChangeRequest } from "@tradai/core";
import { api } from "@/lib/api";
import { invalidateGoverned } from "../governance/invalidate-governed";

export type Review =
  | { decision: "approve"; comment?: string; freezeOverrideReason?: string }
  | { decision: "reject"; comment: string }
  | { decision: "break-glass"; reason: string; freezeOverrideReason?: string };

function bodyOf(review: Review): Record<string, string> {
  const body: Record<string, string> = {};
  if (review.decision === "break-glass") body.reason = review.reason;
  else if (review.comment) body.comment = review.comment;
  if (review.decision !== "reject" && review.freezeOverrideReason)
    body.freeze_override_reason = review.freezeOverrideReason;
  return body;
}

export function useReviewMutation(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (review: Review) =>
      api<ChangeRequest>(`/api/v1/change-requests/${id}/${review.decision}`, { method: "POST", body: bodyOf(review) }),
    // Applying a request may change anything a governed change alters (versions, catalog, policies).
    onSettled: () => invalidateGoverned(client),
  });
}
