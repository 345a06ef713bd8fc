/** @module One change request (/change-requests/:id): what it changes, why it needs approval, its reviews, and review controls. */
import type { ChangeRequest } from "@tradai/core";
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

const KIND_TITLES: Record<ChangeRequest["kind"], string> = {
  activation: "Activation",
  promotion: "Promotion",
  environment_base: "Base values",
  environment_policy: "Environment policy",
  catalog: "Catalog change",
};

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
          const version =
            cr.strategy_name && cr.config_id
              ? {
                  id: cr.config_id,
                  link: `/strategies/${encodeURIComponent(cr.strategy_name)}/versions/${encodeURIComponent(cr.config_id)}`,
                }
              : null;
          // Break-glass needs every environment the change touches to allow it.
          const touched = environments.data?.items.filter((e) => cr.environments.includes(e.name)) ?? [];
          const breakGlassAllowed = touched.length > 0 && touched.every((e) => e.break_glass_allowed);
          return (
            <div className="grid gap-4 xl:grid-cols-2">
              <Card aria-labelledby="cr-details-title">
                <CardHeader>
                  <CardTitle id="cr-details-title">
                    {KIND_TITLES[cr.kind]}
                    {version && (
                      <>
                        {" of "}
                        <Link className="font-mono text-primary underline" to={version.link}>
                          {version.id}
                        </Link>
                      </>
                    )}
                  </CardTitle>
                  <ChangeRequestStatusBadge status={cr.status} />
                </CardHeader>
                <CardContent>
                  <dl className="space-y-2 text-sm">
                    <Row label="Change">{cr.summary}</Row>
                    {cr.strategy_name && <Row label="Strategy">{cr.strategy_name}</Row>}
                    <Row label="Environment">
                      {cr.from_environment
                        ? `${cr.from_environment} → ${cr.environment}`
                        : (cr.environment ?? cr.environments.join(", "))}
                    </Row>
                    {version && (
                      <Row label="Replaces">
                        <span className="font-mono">{cr.base_config_id ?? "nothing (none active)"}</span>
                      </Row>
                    )}
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
                      {cr.author}
                      {cr.author_person && cr.author_person !== cr.author ? ` (for ${cr.author_person})` : ""},{" "}
                      {formatTime(cr.created_at)} ({formatAgo(cr.created_at)})
                    </Row>
                    <Row label="Expires">{formatTime(cr.expires_at)}</Row>
                    {cr.closed_at && (
                      <Row label="Closed">
                        {formatTime(cr.closed_at)}
                        {cr.closed_by ? ` by ${cr.closed_by}` : ""}
                      </Row>
                    )}
                    {cr.break_glass_reason && <Row label="Break-glass reason">{cr.break_glass_reason}</Row>}
                    {cr.config_hash && (
                      <Row label="Content hash">
                        <span className="break-all font-mono text-xs">{cr.config_hash}</span>
                      </Row>
                    )}
                    {cr.effect_hash && (
                      <Row label="Bound to effect">
                        <span className="break-all font-mono text-xs">{cr.effect_hash}</span>
                      </Row>
                    )}
                  </dl>
                </CardContent>
              </Card>
              <div className="space-y-4">
                <ReviewPanel request={cr} breakGlassAllowed={breakGlassAllowed} />
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
                            <span className="font-medium">
                              {r.reviewer}
                              {r.reviewer_person && r.reviewer_person !== r.reviewer
                                ? ` (for ${r.reviewer_person})`
                                : ""}
                            </span>{" "}
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
                <CardContent className="space-y-4">
                  <DiffTable diff={cr.diff} label={`Changes of change request #${cr.id}`} />
                  {cr.effect && cr.effect.weakenings.length > 0 && (
                    <div>
                      <h3 className="font-medium">Weakens governance</h3>
                      <ul className="list-disc pl-5 text-sm">
                        {cr.effect.weakenings.map((w) => (
                          <li key={`${w.subject} ${w.what}`}>
                            {w.subject} {w.what}
                          </li>
                        ))}
                      </ul>
                    </div>
                  )}
                  {cr.kind !== "activation" &&
                    cr.kind !== "promotion" &&
                    cr.effect?.resolved.map((r) => (
                      <div key={`${r.environment}/${r.strategy}`}>
                        <h3 className="font-medium">
                          What {r.strategy} resolves in {r.environment}
                        </h3>
                        <DiffTable diff={r.diff} label={`${r.strategy} in ${r.environment}`} />
                      </div>
                    ))}
                </CardContent>
              </Card>
            </div>
          );
        }}
      </QueryState>
    </>
  );
}
