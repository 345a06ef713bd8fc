/**
 * @module Compare two runs (?a=<job_id>&b=<job_id>): the diff of their parameter sets, what
 * differs around the values (version, provenance, platform), and their metrics side by side.
 */
import type { Run } from "@tradai/core";
import { Link, useSearchParams } from "react-router";
import { DiffTable, formatValue } from "@/components/diff-table";
import { PageHeader } from "@/components/page";
import { Empty, ErrorState, Loading, QueryState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { useParameterSetDiff } from "./parameter-set-diff-query";
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
  const same = a.parameter_set_hash === b.parameter_set_hash;
  const metricKeys = [...new Set([...Object.keys(a.metrics ?? {}), ...Object.keys(b.metrics ?? {})])].sort();
  return (
    <div className="grid gap-4">
      <Card>
        <CardContent className="grid gap-4 pt-4 sm:grid-cols-2">
          <RunHeading label="A" run={a} />
          <RunHeading label="B" run={b} />
        </CardContent>
      </Card>
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
      <Card aria-labelledby="metrics-diff-title">
        <CardHeader>
          <CardTitle id="metrics-diff-title">Metrics</CardTitle>
        </CardHeader>
        <CardContent>
          {metricKeys.length === 0 ? (
            <Empty>Neither run has metrics.</Empty>
          ) : (
            <Table aria-label="Metrics side by side">
              <THead>
                <tr>
                  <Th>Metric</Th>
                  <Th>Run A</Th>
                  <Th>Run B</Th>
                </tr>
              </THead>
              <TBody>
                {metricKeys.map((key) => {
                  const [va, vb] = [a.metrics?.[key], b.metrics?.[key]];
                  const differs = formatValue(va) !== formatValue(vb);
                  return (
                    <Tr key={key} data-metric={key} className={differs ? "bg-amber-50" : undefined}>
                      <Td className="font-mono text-xs">{key}</Td>
                      <Td className="break-all font-mono text-xs">{formatValue(va)}</Td>
                      <Td className="break-all font-mono text-xs">{formatValue(vb)}</Td>
                    </Tr>
                  );
                })}
              </TBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
