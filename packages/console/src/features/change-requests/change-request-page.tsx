/** @module One change request (/change-requests/:id): what it changes, why it needs approval, its reviews, and review controls. */
import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { DiffTable } from "@/components/diff-table";
import { PageHeader } from "@/components/page";
import { QueryState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatAgo, formatTime } from "@/lib/format";
import { useEnvironments } from "../environments/environments-query";
import { useChangeRequest } from "./change-request-query";
import { ChangeRequestStatusBadge } from "./change-request-status-badge";
import { ReviewPanel } from "./review-panel";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 sm:grid-cols-[10rem_1fr]">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

export function ChangeRequestPage() {
  const id = Number(useParams().id);
  const request = useChangeRequest(id);
  const environments = useEnvironments();
  return (
    <>
      <PageHeader
        title={`Change request #${id}`}
        description={
          <Link className="text-primary underline" to="/change-requests">
            All change requests
          </Link>
        }
      />
      <QueryState query={request} loadingLabel="Loading the change request">
        {(cr) => {
          const versionLink = `/strategies/${encodeURIComponent(cr.strategy_name)}/versions/${encodeURIComponent(cr.config_id)}`;
          const policy = environments.data?.items.find((e) => e.name === cr.environment);
          return (
            <div className="grid gap-4 xl:grid-cols-2">
              <Card aria-labelledby="cr-details-title">
                <CardHeader>
                  <CardTitle id="cr-details-title">
                    {cr.kind === "promotion" ? "Promotion" : "Activation"} of{" "}
                    <Link className="font-mono text-primary underline" to={versionLink}>
                      {cr.config_id}
                    </Link>
                  </CardTitle>
                  <ChangeRequestStatusBadge status={cr.status} />
                </CardHeader>
                <CardContent>
                  <dl className="space-y-2 text-sm">
                    <Row label="Strategy">{cr.strategy_name}</Row>
                    <Row label="Environment">
                      {cr.from_environment ? `${cr.from_environment} → ${cr.environment}` : cr.environment}
                    </Row>
                    <Row label="Replaces">
                      <span className="font-mono">{cr.base_config_id ?? "nothing (none active)"}</span>
                    </Row>
                    <Row label="Why approval">
                      <ul className="list-disc pl-5">
                        {cr.reasons.map((r) => (
                          <li key={r}>{r}</li>
                        ))}
                      </ul>
                    </Row>
                    <Row label="Approvals">
                      <span data-testid="approvals">
                        {cr.approvals}/{cr.approvals_required}
                      </span>
                    </Row>
                    <Row label="Proposed by">
                      {cr.author}, {formatTime(cr.created_at)} ({formatAgo(cr.created_at)})
                    </Row>
                    <Row label="Expires">{formatTime(cr.expires_at)}</Row>
                    {cr.closed_at && (
                      <Row label="Closed">
                        {formatTime(cr.closed_at)}
                        {cr.closed_by ? ` by ${cr.closed_by}` : ""}
                      </Row>
                    )}
                    {cr.break_glass_reason && <Row label="Break-glass reason">{cr.break_glass_reason}</Row>}
                    <Row label="Content hash">
                      <span className="break-all font-mono text-xs">{cr.config_hash}</span>
                    </Row>
                  </dl>
                </CardContent>
              </Card>
              <div className="space-y-4">
                <ReviewPanel request={cr} breakGlassAllowed={policy?.break_glass_allowed ?? false} />
                <Card aria-labelledby="cr-reviews-title">
                  <CardHeader>
                    <CardTitle id="cr-reviews-title">Reviews</CardTitle>
                  </CardHeader>
                  <CardContent>
                    {cr.reviews.length === 0 ? (
                      <p className="text-sm text-muted-foreground">No review yet.</p>
                    ) : (
                      <ul className="divide-y text-sm" aria-label="Reviews">
                        {cr.reviews.map((r) => (
                          <li key={`${r.reviewer}-${r.at}`} className="py-2">
                            <span className="font-medium">{r.reviewer}</span>{" "}
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
              </div>
              <Card aria-labelledby="cr-diff-title" className="xl:col-span-2">
                <CardHeader>
                  <CardTitle id="cr-diff-title">Changes</CardTitle>
                </CardHeader>
                <CardContent>
                  <DiffTable diff={cr.diff} label={`Changes of change request #${cr.id}`} />
                </CardContent>
              </Card>
            </div>
          );
        }}
      </QueryState>
    </>
  );
}
