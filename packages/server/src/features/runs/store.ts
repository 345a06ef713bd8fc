/** @module SQL of runs: records, the queue (claim, lease, reap), progress, outcome, logs. */
import type { DataSource } from "@tradai/core";
import type { Queryable } from "../../db/database.js";

export interface RunRow {
  job_id: string;
  kind: "backtest" | "paper" | "live" | "legacy";
  strategy_name: string;
  environment: string;
  parameter_set_hash: string;
  version_id: number | null;
  config_version_id: string | null;
  experiment_name: string | null;
  priority: number;
  task_definition: string;
  launch_input: Record<string, unknown>;
  tags: Record<string, string>;
  rerun_of: string | null;
  submitted_by: string;
  created_at: Date;
  status: "queued" | "running" | "completed" | "failed" | "cancelled";
  progress: number;
  progress_message: string | null;
  error: string | null;
  claimed_by: string | null;
  lease_expires_at: Date | null;
  attempts: number;
  run_token_hash: string | null;
  worker_pid: number | null;
  cancel_requested_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  exit_code: number | null;
  worker_environment: Record<string, string> | null;
  result_location: string | null;
  metrics: Record<string, unknown> | null;
  data_source: DataSource | null;
  mlflow_run_id: string | null;
  mlflow_error: string | null;
  warnings: string[];
  uncatalogued: string[];
  sweep_id: string | null;
  legacy_source: string | null;
  legacy_id: string | null;
}

export interface NewRun {
  jobId: string;
  strategy: string;
  environment: string;
  parameterSetHash: string;
  versionId: number | null;
  configVersionId: string | null;
  experimentName: string | null;
  priority: number;
  taskDefinition: string;
  launchInput: Record<string, unknown>;
  tags: Record<string, string>;
  rerunOf: string | null;
  submittedBy: string;
  warnings: string[];
  uncatalogued: string[];
  sweepId: string | null;
}

export interface RunFilter {
  strategy?: string | undefined;
  status?: string | undefined;
  config_version_id?: string | undefined;
  parameter_set_hash?: string | undefined;
  experiment?: string | undefined;
  sweep_id?: string | undefined;
  /** only runs of these environments (a credential limited to some); null: all */
  environments?: readonly string[] | null | undefined;
}

export function runStore(db: Queryable) {
  return {
    async insert(r: NewRun): Promise<void> {
      await db.query(
        `INSERT INTO runs (job_id, strategy_name, environment, parameter_set_hash, version_id, config_version_id,
           experiment_name, priority, task_definition, launch_input, tags, rerun_of, submitted_by,
           warnings, uncatalogued, sweep_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $13, $14::jsonb, $15, $16)`,
        [
          r.jobId,
          r.strategy,
          r.environment,
          r.parameterSetHash,
          r.versionId,
          r.configVersionId,
          r.experimentName,
          r.priority,
          r.taskDefinition,
          JSON.stringify(r.launchInput),
          JSON.stringify(r.tags),
          r.rerunOf,
          r.submittedBy,
          JSON.stringify(r.warnings),
          r.uncatalogued,
          r.sweepId,
        ],
      );
    },

    async find(jobId: string): Promise<RunRow | undefined> {
      // Sessions (paper, live) are runs too, read through their own feature; legacy runs are past backtests.
      const { rows } = await db.query<RunRow>(
        "SELECT * FROM runs WHERE job_id = $1 AND kind IN ('backtest', 'legacy')",
        [jobId],
      );
      return rows[0];
    },

    async list(filter: RunFilter, page: { limit: number; offset: number }): Promise<{ rows: RunRow[]; total: number }> {
      const where = `WHERE kind IN ('backtest', 'legacy') AND ($1::text IS NULL OR strategy_name = $1) AND ($2::text IS NULL OR status = $2)
        AND ($3::text IS NULL OR config_version_id = $3) AND ($4::text IS NULL OR parameter_set_hash = $4)
        AND ($5::text IS NULL OR experiment_name = $5) AND ($6::text[] IS NULL OR environment = ANY($6::text[]))
        AND ($7::uuid IS NULL OR sweep_id = $7)`;
      const params = [
        filter.strategy ?? null,
        filter.status ?? null,
        filter.config_version_id ?? null,
        filter.parameter_set_hash ?? null,
        filter.experiment ?? null,
        filter.environments ? [...filter.environments] : null,
        filter.sweep_id ?? null,
      ];
      const [rows, count] = await Promise.all([
        db.query<RunRow>(`SELECT * FROM runs ${where} ORDER BY created_at DESC, job_id LIMIT $8 OFFSET $9`, [
          ...params,
          page.limit,
          page.offset,
        ]),
        db.query<{ total: number }>(`SELECT count(*)::int AS total FROM runs ${where}`, params),
      ]);
      return { rows: rows.rows, total: count.rows[0]?.total ?? 0 };
    },

    /**
     * Claims the next runnable run for `launcher`: highest priority, then oldest. Rows another
     * launcher holds are skipped (SKIP LOCKED), so launchers never start the same run twice; a
     * queued run whose claim lapsed (its launcher died before starting it) is claimable again.
     */
    async claimNext(launcher: string, leaseSeconds: number, tokenHash: string): Promise<RunRow | undefined> {
      const { rows } = await db.query<RunRow>(
        `WITH next AS (
           SELECT job_id FROM runs
           WHERE status = 'queued' AND (claimed_by IS NULL OR lease_expires_at < clock_timestamp())
           ORDER BY priority DESC, created_at, job_id
           LIMIT 1 FOR UPDATE SKIP LOCKED)
         UPDATE runs r SET claimed_by = $1, claimed_at = clock_timestamp(), attempts = r.attempts + 1,
           lease_expires_at = clock_timestamp() + make_interval(secs => $2), run_token_hash = $3
         FROM next WHERE r.job_id = next.job_id
         RETURNING r.*`,
        [launcher, leaseSeconds, tokenHash],
      );
      return rows[0];
    },

    /** The worker process is up: the run is running. False if the claim was lost meanwhile. */
    async markRunning(jobId: string, launcher: string, pid: number): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE runs SET status = 'running', started_at = clock_timestamp(), worker_pid = $3
         WHERE job_id = $1 AND claimed_by = $2 AND status = 'queued'`,
        [jobId, launcher, pid],
      );
      return rowCount === 1;
    },

    /** Extends the leases of every run this launcher holds; returns the ids asked to cancel. */
    async renewLeases(launcher: string, leaseSeconds: number): Promise<string[]> {
      const { rows } = await db.query<{ job_id: string }>(
        `UPDATE runs SET lease_expires_at = clock_timestamp() + make_interval(secs => $2)
         WHERE claimed_by = $1 AND status IN ('queued', 'running')
         RETURNING job_id, cancel_requested_at IS NOT NULL AS cancel`,
        [launcher, leaseSeconds],
      );
      return (rows as { job_id: string; cancel?: boolean }[]).filter((r) => r.cancel).map((r) => r.job_id);
    },

    /** Fails running runs whose launcher stopped renewing the lease; returns them. */
    async reapExpired(): Promise<{ job_id: string; claimed_by: string }[]> {
      const { rows } = await db.query<{ job_id: string; claimed_by: string }>(
        `UPDATE runs SET status = 'failed', finished_at = clock_timestamp(),
           error = 'launcher ' || claimed_by || ' stopped renewing its lease at ' || lease_expires_at
                   || '; the worker''s outcome is unknown'
         WHERE status = 'running' AND lease_expires_at < clock_timestamp()
         RETURNING job_id, claimed_by`,
      );
      return rows;
    },

    async setProgress(jobId: string, progress: number, message: string | null): Promise<boolean> {
      const { rowCount } = await db.query(
        "UPDATE runs SET progress = $2, progress_message = $3 WHERE job_id = $1 AND status IN ('queued', 'running')",
        [jobId, progress, message],
      );
      return rowCount === 1;
    },

    async finish(
      jobId: string,
      outcome: {
        status: "completed" | "failed" | "cancelled";
        error?: string | null;
        exitCode?: number | null;
        workerEnvironment?: Record<string, string> | null;
        resultLocation?: string | null;
        metrics?: Record<string, unknown> | null;
        dataSource?: DataSource | null;
      },
    ): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE runs SET status = $2, error = $3, exit_code = $4, worker_environment = $5::jsonb,
           result_location = $6, metrics = $7::jsonb, data_source = $8, finished_at = clock_timestamp(),
           progress = CASE WHEN $2 = 'completed' THEN 100 ELSE progress END
         WHERE job_id = $1 AND status IN ('queued', 'running')`,
        [
          jobId,
          outcome.status,
          outcome.error ?? null,
          outcome.exitCode ?? null,
          outcome.workerEnvironment ? JSON.stringify(outcome.workerEnvironment) : null,
          outcome.resultLocation ?? null,
          outcome.metrics ? JSON.stringify(outcome.metrics) : null,
          outcome.dataSource ?? null,
        ],
      );
      return rowCount === 1;
    },

    async setMlflow(jobId: string, runId: string | null, error: string | null): Promise<void> {
      await db.query(
        "UPDATE runs SET mlflow_run_id = coalesce($2, mlflow_run_id), mlflow_error = $3 WHERE job_id = $1",
        [jobId, runId, error],
      );
    },

    /**
     * A queued run is cancelled at once (a launcher that claimed it then fails to mark it running
     * and stops its worker); a running one is flagged for its launcher, which stops the worker.
     */
    async requestCancel(jobId: string): Promise<"cancelled" | "requested" | "ended"> {
      const queued = await db.query(
        `UPDATE runs SET status = 'cancelled', finished_at = clock_timestamp(), error = 'cancelled before it started'
         WHERE job_id = $1 AND status = 'queued'`,
        [jobId],
      );
      if (queued.rowCount === 1) return "cancelled";
      const running = await db.query(
        `UPDATE runs SET cancel_requested_at = coalesce(cancel_requested_at, clock_timestamp())
         WHERE job_id = $1 AND status IN ('queued', 'running')`,
        [jobId],
      );
      return running.rowCount === 1 ? "requested" : "ended";
    },

    async appendLogs(jobId: string, lines: { stream: string; line: string }[], firstLineNo: number): Promise<void> {
      if (lines.length === 0) return;
      await db.query(
        `INSERT INTO run_logs (job_id, line_no, stream, line)
         SELECT $1, $2 + ord - 1, stream, line FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS l(stream, line, ord)`,
        [jobId, firstLineNo, lines.map((l) => l.stream), lines.map((l) => l.line)],
      );
    },

    async logs(jobId: string, after: number, limit: number) {
      const { rows } = await db.query<{ line_no: number; stream: string; logged_at: Date; line: string }>(
        "SELECT line_no, stream, logged_at, line FROM run_logs WHERE job_id = $1 AND line_no > $2 ORDER BY line_no LIMIT $3",
        [jobId, after, limit],
      );
      return rows;
    },
  };
}

export type RunStore = ReturnType<typeof runStore>;
