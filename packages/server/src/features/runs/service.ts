/** @module Reading runs, their logs, results and traces; progress reports; cancellation. */
import { timingSafeEqual } from "node:crypto";
import type { Run, RunComparison, RunList, RunLogs, RunTrace } from "@tradai/core";
import { type Actor, assertInScope } from "../../changes/actor.js";
import { mustApply } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Queryable } from "../../db/database.js";
import { ConflictError, NotFoundError, UnauthenticatedError } from "../../http/errors.js";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { parameterSetStore } from "../parameter-sets/store.js";
import type { RunTracker } from "../tracking/mlflow-tracker.js";
import { compareRuns, runNamedBy } from "./comparison.js";
import { hashRunToken } from "./launcher/local-launcher.js";
import { type RunFilter, type RunRow, runStore } from "./store.js";
import { traceRun } from "./trace.js";
import { toRun } from "./view.js";

export interface RunServiceDeps {
  db: Queryable;
  changes: ChangeKernel;
  /** Where a run's own worker reports its progress (a report, not a change: see changes/write-guard). */
  reports: Queryable;
  artifacts: ArtifactStore;
  tracker: RunTracker | undefined;
}

export function runServiceFactory({ db, changes, reports, artifacts, tracker }: RunServiceDeps) {
  const store = runStore(db);

  /** The run, when the reader may see its environment. */
  async function mustFind(jobId: string, reader?: Actor): Promise<RunRow> {
    const row = await store.find(jobId);
    if (!row) throw new NotFoundError(`no run ${jobId}`);
    if (reader) assertInScope(reader, row.environment);
    return row;
  }

  async function result(jobId: string, reader: Actor): Promise<Record<string, unknown>> {
    const row = await mustFind(jobId, reader);
    if (!row.result_location) throw new ConflictError(`run ${jobId} has no result (status ${row.status})`);
    if (row.kind === "legacy") {
      throw new ConflictError(
        `run ${jobId} is a legacy run: its result stays in the legacy system, at ${row.result_location}; its metrics are on the run`,
      );
    }
    const stored = (await artifacts.getJson(row.result_location)) as Record<string, unknown> | undefined;
    if (!stored) throw new NotFoundError(`the result of run ${jobId} is missing from ${row.result_location}`);
    return stored;
  }

  return {
    get: async (jobId: string, reader: Actor): Promise<Run> => toRun(await mustFind(jobId, reader)),

    async list(filter: RunFilter, page: { limit: number; offset: number }, reader: Actor): Promise<RunList> {
      const { rows, total } = await store.list({ ...filter, environments: reader.environments }, page);
      const next = page.offset + rows.length;
      return { items: rows.map(toRun), total, ...page, next_offset: next < total ? next : null };
    },

    /** Progress from the run's own worker, authenticated by the token it was started with. */
    async reportProgress(jobId: string, token: string | undefined, progress: number, message: string | null) {
      const row = await mustFind(jobId);
      const expected = row.run_token_hash ? Buffer.from(row.run_token_hash, "hex") : undefined;
      const given = token ? Buffer.from(hashRunToken(token), "hex") : undefined;
      if (!expected || !given || !timingSafeEqual(expected, given)) {
        throw new UnauthenticatedError(
          `a valid run token for ${jobId} is required (Authorization: Bearer <TRADAI_RUN_TOKEN>)`,
        );
      }
      if (!(await runStore(reports).setProgress(jobId, progress, message))) {
        throw new ConflictError(`run ${jobId} already ended (${row.status})`);
      }
    },

    async cancel(jobId: string, actor: Actor): Promise<Run> {
      const row = await mustFind(jobId, actor);
      mustApply(
        await changes.commitChange(actor, {
          what: `cancelling run ${jobId}`,
          acts: [row.environment],
          async work(tx, record) {
            const outcome = await runStore(tx).requestCancel(jobId);
            if (outcome === "ended") throw new ConflictError(`run ${jobId} already ended (${row.status})`);
            record.audit({
              action: "run.cancel",
              target_type: "run",
              target_id: jobId,
              environment: row.environment,
              details: { outcome },
            });
          },
        }),
      );
      return toRun(await mustFind(jobId));
    },

    async logs(jobId: string, after: number, limit: number, reader: Actor): Promise<RunLogs> {
      await mustFind(jobId, reader);
      const rows = await store.logs(jobId, after, limit);
      return {
        job_id: jobId,
        lines: rows.map((r) => ({ line_no: r.line_no, stream: r.stream, at: r.logged_at.toISOString(), line: r.line })),
        next_after: rows.length === limit ? (rows.at(-1)?.line_no ?? null) : null,
      };
    },

    async equity(jobId: string, reader: Actor) {
      const stored = await result(jobId, reader);
      return { job_id: jobId, equity_curve: (stored.equity_curve as unknown[]) ?? [] };
    },

    /** Everything a report needs in one answer: run, parameter set, metrics, trades. */
    async reportData(jobId: string, reader: Actor) {
      const row = await mustFind(jobId, reader);
      // A legacy run's result stays in the legacy system: its report has the metrics, no trades or curve.
      const stored = row.result_location && row.kind !== "legacy" ? await result(jobId, reader) : undefined;
      const ps = await parameterSetStore(db).find(row.parameter_set_hash);
      return {
        run: toRun(row),
        parameter_set: ps?.document ?? null,
        metrics: row.metrics,
        trades: (stored?.trades as unknown[] | undefined) ?? [],
        equity_curve: (stored?.equity_curve as unknown[] | undefined) ?? [],
        data: stored?.data ?? null,
      };
    },

    /** What comparing run `a` with run `b` allows, and why; both must be visible to the reader. */
    async compare(a: string, b: string, reader: Actor): Promise<RunComparison> {
      const runA = await runNamedBy("a", async () => toRun(await mustFind(a, reader)));
      const runB = await runNamedBy("b", async () => toRun(await mustFind(b, reader)));
      return compareRuns(db, runA, runB);
    },

    async trace(jobId: string, reader: Actor): Promise<RunTrace> {
      const row = await mustFind(jobId, reader);
      // Its result is the legacy system's: never read from here (a location an import named).
      if (row.kind === "legacy") {
        throw new ConflictError(
          `run ${jobId} is a legacy run: it was registered, not launched here, so there is no trace of it`,
        );
      }
      return traceRun(row, artifacts, tracker);
    },
  };
}

export type RunService = ReturnType<typeof runServiceFactory>;
