/** @module A change request's reviews: who (and the person behind a token), the decision, when, the comment. */
import type { ChangeRequest } from "@tradai/core";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatAgo, formatTime } from "@/lib/format";
import { actorText } from "../governance/people";

export function ChangeRequestReviews({ request }: { request: ChangeRequest }) {
  return (
    <Card aria-labelledby="cr-reviews-title">
      <CardHeader>
        <CardTitle id="cr-reviews-title">Reviews</CardTitle>
      </CardHeader>
      <CardContent>
        {request.reviews.length === 0 ? (
          <p className="text-sm text-muted-foreground">No review yet.</p>
        ) : (
          <ul className="divide-y text-sm" aria-label="Reviews">
            {request.reviews.map((r) => (
              <li key={`${r.reviewer}-${r.at}`} className="py-2">
                <span className="font-medium">{actorText(r.reviewer, r.reviewer_person)}</span>{" "}
                {r.decision === "approve" ? "approved" : "rejected"}{" "}
                <span className="text-xs text-muted-foreground" title={formatTime(r.at)}>
                  {formatAgo(r.at)}
                </span>
                {r.comment && <p className="break-words">{r.comment}</p>}
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
