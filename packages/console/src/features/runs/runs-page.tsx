/**
 * @module Runs: the list with filters and paging kept in the URL, status and progress (refreshed
 * while any listed run is active), and two runs picked to compare.
 */
import { useMemo, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { PageHeader } from "@/components/page";
import { Pager } from "@/components/pager";
import { Empty, QueryState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { useCan } from "../session/can";
import { FILTER_PARAMS, type FilterValues, RunsFilters } from "./runs-filters";
import { useRuns } from "./runs-query";
import { RunsTable } from "./runs-table";

const PAGE_SIZE = 20;

export function RunsPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const canSubmit = useCan("runs.submit");
  const [selected, setSelected] = useState<string[]>([]);
  // One object per URL: the filter form resets its draft when this changes, and a list refresh
  // (the runs poll) must not wipe what someone is typing.
  const filters = useMemo(
    () => Object.fromEntries(FILTER_PARAMS.map((k) => [k, params.get(k) ?? ""])) as FilterValues,
    [params],
  );
  const offset = Math.max(0, Number.parseInt(params.get("offset") ?? "0", 10) || 0);
  const pageSize = Math.min(500, Math.max(1, Number.parseInt(params.get("limit") ?? "", 10) || PAGE_SIZE));
  const runs = useRuns({ ...filters, limit: pageSize, offset });

  const apply = (values: FilterValues) => {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(values)) if (v.trim()) next.set(k, v.trim());
    if (params.has("limit")) next.set("limit", String(pageSize));
    setParams(next);
  };
  const goTo = (nextOffset: number) => {
    const next = new URLSearchParams(params);
    if (nextOffset > 0) next.set("offset", String(nextOffset));
    else next.delete("offset");
    setParams(next);
  };
  const toggle = (jobId: string) =>
    setSelected((s) => (s.includes(jobId) ? s.filter((j) => j !== jobId) : [...s, jobId].slice(-2)));
  const filtered = FILTER_PARAMS.some((k) => filters[k]);

  return (
    <>
      <PageHeader
        title="Runs"
        description="Backtests, newest first. Each is bound to an immutable parameter set."
        actions={
          <>
            <Button
              variant="outline"
              disabled={selected.length !== 2}
              onClick={() => navigate(`/runs/diff?a=${selected[0]}&b=${selected[1]}`)}
            >
              Compare selected ({selected.length}/2)
            </Button>
            {canSubmit && (
              <Button asChild>
                <Link to="/runs/new">Submit a backtest</Link>
              </Button>
            )}
          </>
        }
      />
      <RunsFilters value={filters} onApply={apply} />
      <Card>
        <CardContent className="pt-4">
          <QueryState query={runs} loadingLabel="Loading runs">
            {(data) =>
              data.items.length === 0 ? (
                <Empty>{filtered ? "No run matches these filters." : "No runs yet."}</Empty>
              ) : (
                <>
                  <RunsTable runs={data.items} selected={selected} onToggle={toggle} />
                  <Pager
                    label="Pages of runs"
                    offset={data.offset}
                    pageSize={pageSize}
                    nextOffset={data.next_offset}
                    onPage={goTo}
                    status={
                      <span data-testid="runs-count">
                        {data.offset + 1}–{data.offset + data.items.length} of {data.total}
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
