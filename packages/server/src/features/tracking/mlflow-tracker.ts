/**
 * @module Runs mirrored into MLflow (REST API 2.0) when MLFLOW_TRACKING_URI is set: the run is
 * created under its experiment with the platform's tags, and its metrics logged at the end. A
 * failing MLflow never fails a run: the caller records the error on the run.
 */
import { trackedBreaker } from "../../resilience/breakers.js";

export interface RunTracker {
  /** Creates the tracking run; returns its id. */
  start(run: { experiment: string; name: string; tags: Record<string, string>; startTime: number }): Promise<string>;
  finish(
    runId: string,
    outcome: { status: "FINISHED" | "FAILED" | "KILLED"; metrics: Record<string, number>; endTime: number },
  ): Promise<void>;
  /** The tags the tracking system holds for a run. */
  tags(runId: string): Promise<Record<string, string>>;
}

export class TrackingError extends Error {
  override name = "TrackingError";
  constructor(
    message: string,
    /** MLflow could not be reached or failed (5xx), as opposed to refusing the request */
    readonly outage = false,
  ) {
    super(message);
  }
}

export function mlflowTracker(trackingUri: string, timeoutMs = 5000): RunTracker {
  const base = `${trackingUri.replace(/\/+$/, "")}/api/2.0/mlflow`;
  // A dead MLflow fails fast after 5 outages in a row, so runs do not each wait out its timeout.
  const breaker = trackedBreaker("mlflow", { isFailure: (error) => (error as TrackingError).outage === true });

  /** One call, tried once more after an outage (a restart, a blip), through the breaker. */
  async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    try {
      return await breaker.run(() => callOnce<T>(method, path, body));
    } catch (error) {
      if (!(error instanceof TrackingError && error.outage)) throw error;
      await new Promise((r) => setTimeout(r, 250 + Math.random() * 250));
      return breaker.run(() => callOnce<T>(method, path, body));
    }
  }

  async function callOnce<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(base + path, {
        method,
        headers: body ? { "content-type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new TrackingError(`MLflow at ${trackingUri} unreachable: ${(error as Error).message}`, true);
    }
    const text = await response.text();
    if (!response.ok)
      throw new TrackingError(
        `MLflow ${path} answered ${response.status}: ${text.slice(0, 300)}`,
        response.status >= 500,
      );
    return (text ? JSON.parse(text) : {}) as T;
  }

  async function experimentId(name: string): Promise<string> {
    try {
      const found = await call<{ experiment: { experiment_id: string } }>(
        "GET",
        `/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
      );
      return found.experiment.experiment_id;
    } catch (error) {
      if (!(error instanceof TrackingError) || !/ 404:|RESOURCE_DOES_NOT_EXIST/.test(error.message)) throw error;
      const created = await call<{ experiment_id: string }>("POST", "/experiments/create", { name });
      return created.experiment_id;
    }
  }

  return {
    async start({ experiment, name, tags, startTime }) {
      const experiment_id = await experimentId(experiment);
      const created = await call<{ run: { info: { run_id: string } } }>("POST", "/runs/create", {
        experiment_id,
        run_name: name,
        start_time: startTime,
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      });
      return created.run.info.run_id;
    },
    async finish(runId, { status, metrics, endTime }) {
      const entries = Object.entries(metrics).filter(([, v]) => Number.isFinite(v));
      if (entries.length > 0) {
        await call("POST", "/runs/log-batch", {
          run_id: runId,
          metrics: entries.map(([key, value]) => ({ key, value, timestamp: endTime, step: 0 })),
        });
      }
      await call("POST", "/runs/update", { run_id: runId, status, end_time: endTime });
    },
    async tags(runId) {
      const got = await call<{ run: { data: { tags?: { key: string; value: string }[] } } }>(
        "GET",
        `/runs/get?run_id=${encodeURIComponent(runId)}`,
      );
      return Object.fromEntries((got.run.data.tags ?? []).map((t) => [t.key, t.value]));
    },
  };
}
