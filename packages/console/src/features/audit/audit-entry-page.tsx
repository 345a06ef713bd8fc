/**
 * @module One audit entry (/audit/:seq): every field, its hashes, the before/after diff, and for a
 * `config.create` entry, restoring that config (to roles that may).
 */
import { type ReactNode, useState } from "react";
import { Link, useParams } from "react-router";
import { PageHeader } from "@/components/page";
import { ErrorState, QueryState } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { useCan } from "@/features/session/can";
import { formatAgo, formatTime } from "@/lib/format";
import { AuditEntryDiff } from "./audit-entry-diff";
import { useAuditEntry, useNewestAuditSeq } from "./audit-queries";
import type { RestoreOutcome } from "./audit-restore-mutation";
import { AuditTarget } from "./audit-target";
import { restorableContent } from "./restorable";
import { RestoreDialog } from "./restore-dialog";
import { RestoreOutcomeAlert } from "./restore-outcome";

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-muted-foreground">{term}</dt>
      <dd className="min-w-0 break-all text-sm">{children}</dd>
    </div>
  );
}

export function AuditEntryPage() {
  const params = useParams();
  const seq = Number(params.seq);
  const valid = Number.isInteger(seq) && seq > 0;
  const entry = useAuditEntry(seq);
  const newest = useNewestAuditSeq();
  const mayRestore = useCan("audit.restore");
  const [outcome, setOutcome] = useState<RestoreOutcome | null>(null);

  const back = (
    <Button asChild variant="outline" size="sm">
      <Link to="/audit">All entries</Link>
    </Button>
  );
  if (!valid) {
    return (
      <>
        <PageHeader title="Audit entry" actions={back} />
        <ErrorState error={new Error(`"${params.seq}" is not an audit entry number (a positive integer).`)} />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={`Audit entry ${seq}`}
        description={entry.data ? `${entry.data.action} by ${entry.data.actor}` : undefined}
        actions={
          <>
            {seq > 1 && (
              <Button asChild variant="outline" size="sm">
                <Link to={`/audit/${seq - 1}`}>Previous entry</Link>
              </Button>
            )}
            {newest.data != null && seq < newest.data && (
              <Button asChild variant="outline" size="sm">
                <Link to={`/audit/${seq + 1}`}>Next entry</Link>
              </Button>
            )}
            {back}
          </>
        }
      />
      <QueryState query={entry} loadingLabel="Loading the audit entry">
        {(e) => {
          const content = restorableContent(e);
          return (
            <div className="space-y-4">
              {outcome && <RestoreOutcomeAlert outcome={outcome} />}
              <Card aria-labelledby="entry-fields-title">
                <CardHeader>
                  <CardTitle id="entry-fields-title">Entry</CardTitle>
                  {content && mayRestore && <RestoreDialog entry={e} content={content} onRestored={setOutcome} />}
                </CardHeader>
                <CardContent>
                  <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="entry-fields">
                    <Item term="Seq">{e.seq}</Item>
                    <Item term="Time">
                      <time dateTime={e.at}>{formatTime(e.at)}</time>{" "}
                      <span className="text-muted-foreground">({formatAgo(e.at)})</span>
                    </Item>
                    <Item term="Actor">{e.actor}</Item>
                    <Item term="Action">
                      <Badge tone="info" className="font-mono">
                        {e.action}
                      </Badge>
                    </Item>
                    <Item term="Target">
                      <AuditTarget entry={e} />
                    </Item>
                    <Item term="Environment">{e.environment ?? "—"}</Item>
                    <Item term="Request id">
                      <span className="font-mono text-xs">{e.request_id ?? "—"}</span>
                    </Item>
                    <Item term="Client address">
                      <span className="font-mono text-xs">{e.client_address ?? "—"}</span>
                    </Item>
                  </dl>
                </CardContent>
              </Card>
              <Card aria-labelledby="entry-diff-title">
                <CardHeader>
                  <CardTitle id="entry-diff-title">Before and after</CardTitle>
                </CardHeader>
                <CardContent>
                  <AuditEntryDiff entry={e} />
                </CardContent>
              </Card>
              <Card aria-labelledby="entry-chain-title">
                <CardHeader>
                  <CardTitle id="entry-chain-title">Hash chain</CardTitle>
                </CardHeader>
                <CardContent>
                  <dl className="grid gap-3" data-testid="entry-hashes">
                    <Item term="Previous entry's hash (prev_hash)">
                      <span className="font-mono text-xs">{e.prev_hash}</span>
                    </Item>
                    <Item term="This entry's hash">
                      <span className="font-mono text-xs">{e.hash}</span>
                    </Item>
                  </dl>
                </CardContent>
              </Card>
            </div>
          );
        }}
      </QueryState>
    </>
  );
}
