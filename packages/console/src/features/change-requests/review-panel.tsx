/**
 * @module Approve or reject a change request (approvers other than its author's person: the
 * controls are absent on one's own request, and on a request made with one's own token), and
 * break glass (admins, where every environment the request needs approval in allows it).
 */
import { type ChangeRequest, rejectBody, reviewBody } from "@tradai/core";
import { useState } from "react";
import { Field } from "@/components/field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Textarea } from "@/components/ui/input";
import { ApiError } from "@/lib/api";
import { approvedBy, isOwnRequest } from "../governance/people";
import { useCan } from "../session/can";
import { useSession } from "../session/session-query";
import { BreakGlassAction } from "./break-glass-dialog";
import { type Review, useReviewMutation } from "./review-mutation";
import { ReviewRefusal } from "./review-refusal";

export function ReviewPanel({ request, breakGlassAllowed }: { request: ChangeRequest; breakGlassAllowed: boolean }) {
  const { data: me } = useSession();
  const canReview = useCan("change_requests.review");
  const canBreakGlass = useCan("change_requests.break_glass");
  const review = useReviewMutation(request.id);
  const [comment, setComment] = useState("");
  const [commentError, setCommentError] = useState<string>();
  if (request.status !== "pending") return null;
  // Four eyes count people: a token acts for the person who made it.
  const own = isOwnRequest(me, request);
  const alreadyApproved = approvedBy(me, request);
  // A credential with no person behind it can never approve.
  const nobody = me != null && me.person === null;
  const mayReview = canReview && !own && !nobody;
  const mayBreakGlass = canBreakGlass && breakGlassAllowed;
  if (!mayReview && !mayBreakGlass) {
    return own ? (
      <Alert tone="info" data-testid="own-request">
        You proposed this change; someone else must review it.
      </Alert>
    ) : null;
  }

  const send = (decision: "approve" | "reject") => {
    setCommentError(undefined);
    const text = comment.trim();
    if (decision === "reject") {
      const parsed = rejectBody.safeParse({ comment: text });
      if (!parsed.success) return setCommentError(parsed.error.issues[0]?.message);
      review.mutate({ decision, comment: parsed.data.comment });
    } else {
      const parsed = reviewBody.safeParse(text ? { comment: text } : {});
      if (!parsed.success) return setCommentError(parsed.error.issues[0]?.message);
      review.mutate({ decision, ...(text ? { comment: text } : {}) });
    }
  };
  const last = review.variables;
  const overrideFreeze =
    last && last.decision !== "reject"
      ? (reason: string) => review.mutate({ ...last, freezeOverrideReason: reason } as Review)
      : undefined;
  const fieldError =
    review.error instanceof ApiError ? (review.error.messageFor("comment") ?? commentError) : commentError;

  return (
    <Card aria-labelledby="review-title">
      <CardHeader>
        <CardTitle id="review-title">Review</CardTitle>
      </CardHeader>
      <CardContent className="space-y-3">
        {own && <p className="text-sm text-muted-foreground">You proposed this change; you cannot review it.</p>}
        {mayReview && (
          <form
            className="space-y-3"
            onSubmit={(event) => {
              event.preventDefault();
              send("approve");
            }}
          >
            <Field label="Comment" description="Optional to approve; required to reject." error={fieldError}>
              {(control) => (
                <Textarea {...control} value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />
              )}
            </Field>
            <div className="flex flex-wrap gap-2">
              <Button type="submit" disabled={review.isPending || alreadyApproved}>
                {alreadyApproved ? "You approved it" : "Approve"}
              </Button>
              <Button variant="destructive" disabled={review.isPending} onClick={() => send("reject")}>
                Reject
              </Button>
            </div>
          </form>
        )}
        {review.error && <ReviewRefusal request={request} error={review.error} onOverride={overrideFreeze} />}
        {mayBreakGlass && <BreakGlassAction request={request} />}
      </CardContent>
    </Card>
  );
}
