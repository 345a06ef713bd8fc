/**
 * @module The local launcher: claims queued runs from the shared queue (any number of launcher
 * processes, on any machines, may share it), starts each as a child process, keeps its lease
 * alive, honours cancel requests, and records the outcome. Runs whose launcher died are failed
 * by whichever launcher notices the expired lease.
 */
import { createHash, randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { FastifyBaseLogger } from "fastify";
import type { Database } from "../../../db/database.js";
import type { ArtifactStore } from "../../artifacts/artifact-store.js";
import type { RunTracker } from "../../tracking/mlflow-tracker.js";
import { type RunRow, runStore } from "../store.js";
import { runWorker } from "./run-worker.js";

export interface LauncherOptions {
  db: Database;
  artifacts: ArtifactStore;
  tracker: RunTracker | undefined;
  log: FastifyBaseLogger;
  /** URL workers use to report progress */
  serverUrl: string;
  workDir: string;
  /** Candle files for workers (their DATA_DIR); without it workers use their own data source. */
  marketDataDir: string | undefined;
  concurrency: number;
  leaseSeconds: number;
  cancelGraceMs: number;
  pollMs?: number;
}

export interface Launcher {
  readonly id: string;
  /** Stops claiming, stops running workers (their runs fail with a reason) and waits for them. */
  stop(): Promise<void>;
}

export const hashRunToken = (token: string) => createHash("sha256").update(token).digest("hex");

export function startLocalLauncher(options: LauncherOptions): Launcher {
  const { db, log, concurrency, leaseSeconds } = options;
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const store = runStore(db);
  const active = new Map<string, { terminate(reason: string): void; done: Promise<void> }>();
  let stopping = false;
  let ticking = false;

  async function tick() {
    if (ticking || stopping) return;
    ticking = true;
    try {
      for (const reaped of await store.reapExpired()) {
        log.warn(
          { job_id: reaped.job_id, launcher: reaped.claimed_by },
          "failed a run whose launcher stopped renewing its lease",
        );
      }
      for (const jobId of await store.renewLeases(id, leaseSeconds)) {
        active.get(jobId)?.terminate("cancelled while running");
      }
      while (!stopping && active.size < concurrency) {
        const token = randomBytes(32).toString("base64url");
        const run = await store.claimNext(id, leaseSeconds, hashRunToken(token));
        if (!run) break;
        launch(run, token);
      }
    } catch (error) {
      log.error({ err: error }, "launcher tick failed; retrying");
    } finally {
      ticking = false;
    }
  }

  function launch(run: RunRow, token: string) {
    let stopReason: string | undefined;
    const handle = runWorker({ ...options, store, launcherId: id, run, token, stopReason: () => stopReason });
    active.set(run.job_id, {
      terminate(reason) {
        stopReason ??= reason;
        handle.terminate();
      },
      done: handle.done.finally(() => {
        active.delete(run.job_id);
        void tick(); // a slot is free
      }),
    });
  }

  const timer = setInterval(tick, options.pollMs ?? 500);
  timer.unref();
  void tick();
  log.info({ launcher: id, concurrency }, "local launcher started");

  return {
    id,
    async stop() {
      stopping = true;
      clearInterval(timer);
      const running = [...active.values()];
      for (const worker of running) worker.terminate("the launcher shut down while the worker ran");
      await Promise.all(running.map((w) => w.done));
    },
  };
}
