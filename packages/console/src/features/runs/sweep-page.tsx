/**
 * @module A sweep (/sweeps/:sweepId) as one table: a row per grid point with its values, status,
 * prices and every metric, each point linking to its run. Refreshes until every run ended.
 */
import type { SweepView } from "@tradai/core";
import { Link, useParams } from "react-router";
import { formatValue } from "@/components/diff-table";
import { PageHeader } from "@/components/page";
import { QueryState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { DataSourceBadge } from "./data-source-badge";
import { RunProgress } from "./run-progress";
import { RunStatusBadge } from "./run-status-badge";
import { useSweep } from "./sweep-query";

/** Four significant decimals at most: enough to rank points, short enough to scan a column. */
const metricText = (value: unknown) =>
  typeof value === "number" ? String(Math.round(value * 10_000) / 10_000) : formatValue(value);

function SweepTable({ sweep }: { sweep: SweepView }) {
  const metrics = [...new Set(sweep.runs.flatMap((r) => Object.keys(r.metrics ?? {})))].sort();
  return (
    <Table aria-label="Sweep points" data-testid="sweep-table">
      <THead>
        <tr>
          {sweep.over.map((key) => (
            <Th key={key} className="font-mono">
              {key}
            </Th>
          ))}
          <Th>Status</Th>
          {metrics.map((m) => (
            <Th key={m} className="text-right font-mono">
              {m}
            </Th>
          ))}
          <Th>Run</Th>
        </tr>
      </THead>
      <TBody>
        {sweep.runs.map((run) => (
          <Tr key={run.job_id} data-job-id={run.job_id} data-point={JSON.stringify(run.point)}>
            {sweep.over.map((key) => (
              <Td key={key} className="font-mono text-xs" data-cell={`point:${key}`}>
                {formatValue(run.point[key])}
              </Td>
            ))}
            <Td>
              <div className="flex flex-col items-start gap-1">
                <RunStatusBadge status={run.status} />
                <DataSourceBadge source={run.data_source} />
              </div>
            </Td>
            {metrics.map((m) => (
              <Td key={m} className="text-right font-mono text-xs tabular-nums" data-cell={`metric:${m}`}>
                {metricText(run.metrics?.[m])}
              </Td>
            ))}
            <Td>
              <Link
                className="font-mono text-xs text-primary underline-offset-2 hover:underline"
                to={`/runs/${run.job_id}`}
                aria-label={`Run ${run.job_id}`}
              >
                {run.job_id.slice(0, 8)}
              </Link>
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

export function SweepPage() {
  const { sweepId = "" } = useParams();
  const sweep = useSweep(sweepId);
  return (
    <>
      <PageHeader
        title={`Sweep ${sweepId.slice(0, 8)}`}
        description={
          sweep.data
            ? `${sweep.data.strategy}, over ${sweep.data.over.join(", ")}: ${sweep.data.total} point(s), one run each`
            : undefined
        }
      />
      <QueryState query={sweep} loadingLabel="Loading the sweep">
        {(data) => (
          <Card aria-labelledby="sweep-title">
            <CardHeader>
              <CardTitle id="sweep-title">
                {data.done} of {data.total} runs ended
              </CardTitle>
              <RunProgress
                progress={data.total === 0 ? 100 : Math.round((data.done / data.total) * 100)}
                label="Runs ended"
              />
            </CardHeader>
            <CardContent>
              <SweepTable sweep={data} />
            </CardContent>
          </Card>
        )}
      </QueryState>
    </>
  );
}
