/**
 * @module The audit trail (/audit): the chain's verification, entries newest first, filtered by
 * actor, action, target and time (kept in the URL), a page at a time.
 */
import { useSearchParams } from "react-router";
import { PageHeader } from "@/components/page";
import { Pager } from "@/components/pager";
import { Empty, QueryState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { AuditChainStatus } from "./audit-chain-status";
import { AUDIT_PAGE_SIZE, type AuditFilter, filterFromSearch, searchFromFilter } from "./audit-filter";
import { AuditFilterForm } from "./audit-filter-form";
import { useAuditEntries } from "./audit-queries";
import { AuditTable } from "./audit-table";

export function AuditPage() {
  const [search, setSearch] = useSearchParams();
  const { filter, offset } = filterFromSearch(search);
  const entries = useAuditEntries(filter, offset);
  const filtered = Object.keys(filter).length > 0;
  const apply = (next: AuditFilter) => setSearch(searchFromFilter(next));
  const goTo = (nextOffset: number) => setSearch(searchFromFilter(filter, nextOffset));

  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every change, who made it, from where, and what it was before and after. Append-only and hash-chained."
      />
      <AuditChainStatus className="mb-4" />
      <Card className="mb-4" aria-labelledby="audit-filter-title">
        <CardHeader>
          <CardTitle id="audit-filter-title">Filters</CardTitle>
        </CardHeader>
        <CardContent>
          <AuditFilterForm filter={filter} onApply={apply} />
        </CardContent>
      </Card>
      <Card aria-labelledby="audit-entries-title">
        <CardHeader>
          <CardTitle id="audit-entries-title">Entries</CardTitle>
          {entries.data && (
            <p className="text-sm text-muted-foreground" data-testid="audit-range" aria-live="polite">
              {entries.data.total === 0
                ? "0 entries"
                : `${entries.data.offset + 1}–${entries.data.offset + entries.data.items.length} of ${entries.data.total}${filtered ? " matching" : ""}`}
            </p>
          )}
        </CardHeader>
        <CardContent>
          <QueryState query={entries} loadingLabel="Loading audit entries">
            {(data) =>
              data.items.length === 0 ? (
                <Empty>
                  {filtered ? "No entry matches these filters." : "The audit trail is empty."}
                  {offset > 0 && data.total > 0 && (
                    <Button variant="link" className="h-auto px-1 py-0" onClick={() => goTo(0)}>
                      Go to the newest entries
                    </Button>
                  )}
                </Empty>
              ) : (
                <>
                  <AuditTable entries={data.items} />
                  <Pager
                    label="Audit pages"
                    offset={offset}
                    pageSize={AUDIT_PAGE_SIZE}
                    nextOffset={data.next_offset}
                    onPage={goTo}
                    previousLabel="Newer"
                    nextLabel="Older"
                    status={
                      <span className="text-muted-foreground">
                        Page {Math.floor(offset / AUDIT_PAGE_SIZE) + 1} of{" "}
                        {Math.max(1, Math.ceil(data.total / AUDIT_PAGE_SIZE))}
                      </span>
                    }
                  />
                </>
              )
            }
          </QueryState>
        </CardContent>
      </Card>
    </>
  );
}
