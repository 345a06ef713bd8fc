/** @module A change request's details: what it does, where, why it needs approval, approvals in people, who proposed it. */
import type { ChangeRequest } from "@tradai/core";
import { Link } from "react-router";
import { DetailList, DetailRow } from "@/components/detail-list";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatAgo, formatTime } from "@/lib/format";
import { authorOf } from "../governance/people";
import { ChangeRequestKindBadge } from "./change-request-kind";
import { ChangeRequestStatusBadge } from "./change-request-status-badge";
import { environmentsText, KIND_TITLES } from "./change-request-text";

export function ChangeRequestDetails({ request: cr }: { request: ChangeRequest }) {
  const version =
    cr.strategy_name && cr.config_id
      ? `/strategies/${encodeURIComponent(cr.strategy_name)}/versions/${encodeURIComponent(cr.config_id)}`
      : null;
  const needed = cr.approvals_required;
  return (
    <Card aria-labelledby="cr-details-title">
      <CardHeader>
        <CardTitle id="cr-details-title">
          {KIND_TITLES[cr.kind]}
          {version && (
            <>
              {" of "}
              <Link className="font-mono text-primary underline" to={version}>
                {cr.config_id}
              </Link>
            </>
          )}
        </CardTitle>
        <ChangeRequestStatusBadge status={cr.status} />
      </CardHeader>
      <CardContent>
        <DetailList>
          <DetailRow label="Change">
            <span data-testid="cr-summary">{cr.summary}</span>
          </DetailRow>
          <DetailRow label="Kind">
            <ChangeRequestKindBadge kind={cr.kind} />
          </DetailRow>
          {cr.strategy_name && <DetailRow label="Strategy">{cr.strategy_name}</DetailRow>}
          <DetailRow label="Environment">{environmentsText(cr)}</DetailRow>
          {cr.environments.length > 0 && (
            <DetailRow label="Approval asked by">
              <span data-testid="cr-environments">{cr.environments.join(", ")}</span>
            </DetailRow>
          )}
          {version && (
            <DetailRow label="Replaces">
              <span className="font-mono">{cr.base_config_id ?? "nothing (none active)"}</span>
            </DetailRow>
          )}
          {cr.catalog_revision !== null && cr.kind === "catalog" && (
            <DetailRow label="Catalog revision">proposed at revision {cr.catalog_revision}</DetailRow>
          )}
          <DetailRow label="Why approval">
            <ul className="list-disc pl-5" aria-label="Why it needs approval">
              {cr.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </DetailRow>
          <DetailRow label="Approvals">
            <span data-testid="approvals">
              {cr.approvals}/{needed}
            </span>{" "}
            {needed === 1 ? "person" : "people"} other than {cr.author_person ?? cr.author}
          </DetailRow>
          <DetailRow label="Proposed by">
            <span data-testid="cr-author">{authorOf(cr)}</span>, {formatTime(cr.created_at)} ({formatAgo(cr.created_at)}
            )
          </DetailRow>
          <DetailRow label="Expires">{formatTime(cr.expires_at)}</DetailRow>
          {cr.closed_at && (
            <DetailRow label="Closed">
              {formatTime(cr.closed_at)}
              {cr.closed_by ? ` by ${cr.closed_by}` : ""}
            </DetailRow>
          )}
          {cr.break_glass_reason && <DetailRow label="Break-glass reason">{cr.break_glass_reason}</DetailRow>}
          {cr.config_hash && (
            <DetailRow label="Content hash">
              <span className="break-all font-mono text-xs">{cr.config_hash}</span>
            </DetailRow>
          )}
          {cr.effect_hash && (
            <DetailRow label="Bound to effect">
              <span className="break-all font-mono text-xs">{cr.effect_hash}</span>
            </DetailRow>
          )}
        </DetailList>
      </CardContent>
    </Card>
  );
}
