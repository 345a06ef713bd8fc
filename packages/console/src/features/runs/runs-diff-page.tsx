/**
 * @module Compare two runs (?a=<job_id>&b=<job_id>): what comparing them allows (the verdict and
 * its reasons), the diff of their parameter sets, what differs around the values (version,
 * provenance, platform), and their metrics side by side with B - A. A legacy run is marked.
 */
import type { Run } from "@tradai/core";
import { Link, useSearchParams } from "react-router";
import { DiffTable } from "@/components/diff-table";
import { PageHeader } from "@/components/page";
import { Empty, ErrorState, Loading, QueryState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ComparabilityCard } from "./comparability-card";
import { LegacyRunMark } from "./legacy-run-mark";
import { MetricsComparisonCard } from "./metrics-comparison-card";
import { useParameterSetDiff } from "./parameter-set-diff-query";
import { useRunComparison } from "./run-comparison-query";
import { useRun } from "./run-query";
import { RunStatusBadge } from "./run-status-badge";

export function RunsDiffPage() {
  const [params] = useSearchParams();
  const a = params.get("a") ?? "";
  const b = params.get("b") ?? "";
  return (
    <>
      <PageHeader title="Compare runs" description="Run A is the before, run B the after." />
      {a && b ? (
        <RunsDiff a={a} b={b} />
      ) : (
        <Empty>
          Pick two runs to compare on the{" "}
          <Link className="text-primary underline" to="/runs">
            runs page
          </Link>
          .
        </Empty>
      )}
    </>
  );
}

function RunsDiff({ a, b }: { a: string; b: string }) {
  const runA = useRun(a);
  const runB = useRun(b);
  if (runA.isPending || runB.isPending) return <Loading label="Loading the runs" />;
  if (runA.error || runB.error) return <ErrorState error={runA.error ?? runB.error} />;
  return <Compared a={runA.data as Run} b={runB.data as Run} />;
}

function RunHeading({ label, run }: { label: string; run: Run }) {
  return (
    <div className="min-w-0 space-y-1 text-sm" data-testid={`run-${label.toLowerCase()}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-semibold">Run {label}</span>
        <RunStatusBadge status={run.status} />
        <LegacyRunMark run={run} />
      </div>
      <Link
        className="block break-all font-mono text-xs text-primary underline-offset-2 hover:underline"
        to={`/runs/${run.job_id}`}
      >
        {run.job_id}
      </Link>
      <p className="break-all text-xs text-muted-foreground">
        {run.strategy} · config version {run.config_version_id ?? "none"} · parameter set{" "}
        <span className="font-mono">{run.parameter_set_hash.slice(0, 12)}</span>
      </p>
    </div>
  );
}

function Compared({ a, b }: { a: Run; b: Run }) {
  const diff = useParameterSetDiff(a.parameter_set_hash, b.parameter_set_hash);
  const comparison = useRunComparison(a.job_id, b.job_id);
  const same = a.parameter_set_hash === b.parameter_set_hash;
  return (
    <div className="grid grid-cols-1 gap-4">
      <Card>
        <CardContent className="grid gap-4 pt-4 sm:grid-cols-2">
          <RunHeading label="A" run={a} />
          <RunHeading label="B" run={b} />
        </CardContent>
      </Card>
      <QueryState query={comparison} loadingLabel="Judging comparability">
        {(c) => <ComparabilityCard comparison={c} />}
      </QueryState>
      <Card aria-labelledby="params-diff-title">
        <CardHeader>
          <CardTitle id="params-diff-title">Parameters</CardTitle>
          {same && (
            <span className="text-sm text-muted-foreground" data-testid="same-parameter-set">
              Both runs used the same parameter set.
            </span>
          )}
        </CardHeader>
        <CardContent>
          <QueryState query={diff} loadingLabel="Loading the parameter diff">
            {(d) => (
              <div className="space-y-4">
                <DiffTable diff={d} label="Parameter differences" />
                {Object.keys(d.context).length > 0 && (
                  <div>
                    <h3 className="mb-1 text-sm font-medium">Around the values</h3>
                    <DiffTable diff={{ added: {}, removed: {}, changed: d.context }} label="Context differences" />
                  </div>
                )}
              </div>
            )}
          </QueryState>
        </CardContent>
      </Card>
      <MetricsComparisonCard a={a} b={b} deltas={comparison.data?.metrics} />
    </div>
  );
}
