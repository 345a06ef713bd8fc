/**
 * @module Progress: one line on stdout (the run's log) and a POST to the platform per step.
 * Reporting is best effort: a failed POST is noted on stderr and the run goes on.
 */

export interface ProgressTarget {
  jobId: string;
  tradaiUrl: string | undefined;
  runToken: string | undefined;
}

export type ReportProgress = (progress: number, message: string) => Promise<void>;

const TIMEOUT_MS = 5_000;

export function progressReporter(target: ProgressTarget): ReportProgress {
  const { tradaiUrl, runToken, jobId } = target;
  if (tradaiUrl === undefined || runToken === undefined) {
    process.stderr.write("TRADAI_URL or TRADAI_RUN_TOKEN not set: progress goes to the log only\n");
  }
  const url = tradaiUrl && `${tradaiUrl.replace(/\/+$/, "")}/api/v1/backtests/${encodeURIComponent(jobId)}/progress`;
  return async (progress, message) => {
    process.stdout.write(`[${String(progress).padStart(3)}%] ${message}\n`);
    if (!url || runToken === undefined) return;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${runToken}`, "content-type": "application/json" },
        body: JSON.stringify({ progress, message }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.body?.cancel(); // the answer's body is not needed; free the connection
      if (!response.ok) process.stderr.write(`progress ${progress}% not accepted: HTTP ${response.status}\n`);
    } catch (error) {
      const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : error;
      process.stderr.write(`progress ${progress}% not delivered: ${String(reason)}\n`);
    }
  };
}
