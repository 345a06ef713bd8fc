/**
 * @module What can be done with a run: cancel, re-run identically (not a legacy run: nothing says
 * which code ran it; the server refuses), download the PDF report.
 */
import type { Run } from "@tradai/core";
import { Download, RotateCcw, Square } from "lucide-react";
import { useNavigate } from "react-router";
import { ErrorState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { useCan } from "../session/can";
import { isLegacyRun } from "./legacy-run-mark";
import { useCancelRun } from "./run-cancel-mutation";
import { isRunActive } from "./run-query";
import { useRerun } from "./run-rerun-mutation";

export function RunActions({ run }: { run: Run }) {
  const navigate = useNavigate();
  const canCancel = useCan("runs.cancel");
  const canSubmit = useCan("runs.submit");
  const cancel = useCancelRun(run.job_id);
  const rerun = useRerun(run.job_id);
  const legacy = isLegacyRun(run);
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap gap-2">
        {canCancel && isRunActive(run) && (
          <Button variant="destructive" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
            <Square aria-hidden /> Cancel run
          </Button>
        )}
        {canSubmit && !legacy && (
          <Button
            variant="outline"
            disabled={rerun.isPending}
            onClick={() => rerun.mutate(undefined, { onSuccess: (r) => navigate(`/runs/${r.job_id}`) })}
          >
            <RotateCcw aria-hidden /> Re-run identically
          </Button>
        )}
        <Button variant="outline" asChild>
          <a href={`/api/v1/backtests/${run.job_id}/report.pdf`} download={`tradai-run-${run.job_id}.pdf`}>
            <Download aria-hidden /> Download PDF report
          </a>
        </Button>
      </div>
      {canSubmit && legacy && (
        <p className="max-w-sm text-right text-xs text-muted-foreground" data-testid="rerun-unavailable">
          A legacy run cannot be re-run identically: nothing says which code ran it. Submit its values as a new backtest
          instead.
        </p>
      )}
      {cancel.error && <ErrorState error={cancel.error} />}
      {rerun.error && <ErrorState error={rerun.error} />}
    </div>
  );
}
