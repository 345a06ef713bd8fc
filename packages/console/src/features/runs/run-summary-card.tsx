/**
 * @module A run's identity and state: status, prices it ran on, progress, timestamps, error, version
 * and parameter set; for a legacy run, the mark and where it was registered from.
 */
import type { Run } from "@tradai/core";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatAgo, formatTime } from "@/lib/format";
import { DataSourceBadge } from "./data-source-badge";
import { isLegacyRun, LegacyRunMark, legacyOriginText } from "./legacy-run-mark";
import { RunProgress } from "./run-progress";
import { RunStatusBadge } from "./run-status-badge";

function Item({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="break-all text-sm" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

const when = (iso: string | null) => (iso ? `${formatTime(iso)} (${formatAgo(iso)})` : "—");

export function RunSummaryCard({ run }: { run: Run }) {
  return (
    <Card aria-labelledby="summary-title">
      <CardHeader>
        <CardTitle id="summary-title">Status</CardTitle>
        <div className="flex flex-wrap items-center gap-2">
          <LegacyRunMark run={run} />
          <DataSourceBadge source={run.data_source} />
          <RunStatusBadge status={run.status} />
        </div>
      </CardHeader>
      <CardContent className="space-y-3">
        <div className="flex flex-wrap items-center gap-3">
          <RunProgress progress={run.progress} label="Progress" />
          {run.progress_message && <span className="text-sm text-muted-foreground">{run.progress_message}</span>}
        </div>
        {isLegacyRun(run) && (
          <Alert tone="info">
            <span className="font-medium" data-testid="run-legacy-origin">
              {legacyOriginText(run.legacy)}
            </span>
            . A run from before the migration: its parameter set (legacy schema) kept no catalog metadata and no code
            version, so no comparison can judge it and it cannot be re-run.
          </Alert>
        )}
        {run.error && (
          <Alert tone="danger" data-testid="run-error">
            {run.error}
          </Alert>
        )}
        {run.mlflow_error && <Alert tone="warning">MLflow: {run.mlflow_error}</Alert>}
        <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          <Item label="Strategy">{run.strategy}</Item>
          <Item label="Environment">{run.environment}</Item>
          <Item label="Config version" testId="run-config-version">
            <span className="font-mono">{run.config_version_id ?? "none"}</span>
          </Item>
          <Item label="Parameter set hash" testId="run-parameter-set-hash">
            <span className="font-mono text-xs">{run.parameter_set_hash}</span>
          </Item>
          <Item label="Experiment">{run.experiment_name ?? "—"}</Item>
          {run.sweep_id && (
            <Item label="Sweep" testId="run-sweep">
              <Link
                className="font-mono text-xs text-primary underline-offset-2 hover:underline"
                to={`/sweeps/${run.sweep_id}`}
              >
                {run.sweep_id}
              </Link>
            </Item>
          )}
          <Item label="Re-run of">
            {run.rerun_of ? (
              <Link
                className="font-mono text-xs text-primary underline-offset-2 hover:underline"
                to={`/runs/${run.rerun_of}`}
              >
                {run.rerun_of}
              </Link>
            ) : (
              "—"
            )}
          </Item>
          <Item label={isLegacyRun(run) ? "Author (legacy)" : "Submitted by"}>{run.submitted_by}</Item>
          <Item label="Created">{when(run.created_at)}</Item>
          <Item label="Started">{when(run.started_at)}</Item>
          <Item label="Finished">{when(run.finished_at)}</Item>
          <Item label="Task definition">{run.task_definition}</Item>
          <Item label="Priority · attempts · exit code">
            {run.priority} · {run.attempts} · {run.exit_code ?? "—"}
          </Item>
          <Item label="Result">
            <span className="font-mono text-xs">{run.result_location ?? "—"}</span>
          </Item>
          {run.mlflow_run_id && <Item label="MLflow run">{run.mlflow_run_id}</Item>}
        </dl>
      </CardContent>
    </Card>
  );
}
