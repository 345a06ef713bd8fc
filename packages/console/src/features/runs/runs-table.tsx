/**
 * @module Runs as a table: status and prices, progress, version, parameter set, times; two can be
 * picked to compare. A run from before the migration carries the legacy mark.
 */
import type { Run } from "@tradai/core";
import { Link } from "react-router";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { formatAgo, formatTime } from "@/lib/format";
import { DataSourceBadge } from "./data-source-badge";
import { LegacyRunMark } from "./legacy-run-mark";
import { RunProgress } from "./run-progress";
import { RunStatusBadge } from "./run-status-badge";

export function RunsTable({
  runs,
  selected,
  onToggle,
}: {
  runs: Run[];
  selected: string[];
  onToggle(jobId: string): void;
}) {
  return (
    <Table aria-label="Runs" data-testid="runs-table">
      <THead>
        <tr>
          <Th>
            <span className="sr-only">Compare</span>
          </Th>
          <Th>Run</Th>
          <Th>Strategy</Th>
          <Th>Status</Th>
          <Th>Progress</Th>
          <Th>Config version</Th>
          <Th>Parameter set</Th>
          <Th>Experiment</Th>
          <Th>Created</Th>
        </tr>
      </THead>
      <TBody>
        {runs.map((run) => {
          const checked = selected.includes(run.job_id);
          return (
            <Tr key={run.job_id} data-job-id={run.job_id}>
              <Td>
                <input
                  type="checkbox"
                  className="size-4 accent-primary"
                  aria-label={`Compare run ${run.job_id}`}
                  checked={checked}
                  disabled={!checked && selected.length >= 2}
                  onChange={() => onToggle(run.job_id)}
                />
              </Td>
              <Td>
                <div className="flex flex-col items-start gap-1">
                  <Link
                    className="font-mono text-xs text-primary underline-offset-2 hover:underline"
                    to={`/runs/${run.job_id}`}
                    aria-label={`Run ${run.job_id}`}
                    title={run.job_id}
                  >
                    {run.job_id.slice(0, 8)}
                  </Link>
                  <LegacyRunMark run={run} />
                </div>
              </Td>
              <Td className="whitespace-nowrap">{run.strategy}</Td>
              <Td>
                <div className="flex flex-col items-start gap-1">
                  <RunStatusBadge status={run.status} />
                  <DataSourceBadge source={run.data_source} />
                </div>
              </Td>
              <Td>
                <RunProgress progress={run.progress} label={`Progress of run ${run.job_id.slice(0, 8)}`} />
              </Td>
              <Td className="font-mono text-xs">{run.config_version_id ?? "—"}</Td>
              <Td className="font-mono text-xs" title={run.parameter_set_hash}>
                {run.parameter_set_hash.slice(0, 12)}
              </Td>
              <Td className="break-all">
                {run.experiment_name ?? "—"}
                {run.sweep_id && (
                  <Link
                    className="block text-xs text-primary underline-offset-2 hover:underline"
                    to={`/sweeps/${run.sweep_id}`}
                    aria-label={`Sweep ${run.sweep_id}`}
                  >
                    sweep {run.sweep_id.slice(0, 8)}
                  </Link>
                )}
              </Td>
              <Td className="whitespace-nowrap text-xs">
                <span title={formatTime(run.created_at)}>{formatAgo(run.created_at)}</span>
              </Td>
            </Tr>
          );
        })}
      </TBody>
    </Table>
  );
}
