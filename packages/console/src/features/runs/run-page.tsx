/**
 * @module One run: status and progress (polled while active), the parameter set with provenance,
 * the five-point trace, metrics, equity chart and log; cancel, re-run, PDF report. A legacy run
 * (from before the migration) shows its mark and origin, and says what it lacks (trace, log, re-run).
 */
import { useDeferredValue } from "react";
import { useParams } from "react-router";
import { PageHeader } from "@/components/page";
import { QueryState } from "@/components/states";
import { EquityChartCard } from "./equity-chart-card";
import { isLegacyRun } from "./legacy-run-mark";
import { ParameterSetCard } from "./parameter-set-card";
import { RunActions } from "./run-actions";
import { RunLogCard } from "./run-log-card";
import { RunMetricsCard } from "./run-metrics-card";
import { isRunActive, useRun } from "./run-query";
import { RunSummaryCard } from "./run-summary-card";
import { RunTraceCard } from "./run-trace-card";

export function RunPage() {
  const { jobId = "" } = useParams();
  const query = useRun(jobId);
  // The cards are the page's heaviest render: deferred, React renders them in slices between which
  // the browser stays responsive, rather than in one long task (a phone's slow CPU: TBT). Also when
  // the run is there at the first render (prefetched): null first, the cards in the background.
  const run = useDeferredValue(query.data, null) ?? undefined;
  const shown = { ...query, data: run, isPending: query.isPending || (query.data !== undefined && run === undefined) };
  return (
    <>
      <PageHeader
        title="Run"
        description={
          <span className="break-all font-mono text-xs" data-testid="run-job-id">
            {jobId}
          </span>
        }
        actions={run && <RunActions run={run} />}
      />
      <QueryState query={shown} loadingLabel="Loading the run">
        {(run) => (
          <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
            <div className="xl:col-span-2">
              <RunSummaryCard run={run} />
            </div>
            <RunMetricsCard run={run} />
            <EquityChartCard run={run} />
            <div className="xl:col-span-2">
              <ParameterSetCard hash={run.parameter_set_hash} />
            </div>
            <div className="xl:col-span-2">
              <RunTraceCard jobId={run.job_id} status={run.status} legacy={isLegacyRun(run)} />
            </div>
            <div className="xl:col-span-2">
              <RunLogCard jobId={run.job_id} follow={isRunActive(run)} legacy={isLegacyRun(run)} />
            </div>
          </div>
        )}
      </QueryState>
    </>
  );
}
