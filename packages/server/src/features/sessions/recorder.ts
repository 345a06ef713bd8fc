/**
 * @module Sessions' applied history, written in batches. A fleet applying one change reports
 * within seconds; one transaction per report would cost the database more than the change. Reports
 * are gathered (up to `gatherMs`, or `maxRows` applies) and written in one statement (see
 * WRITE_BATCH). Writing yields to propagation: for `quietMs` after a change event (its fan-out to
 * the workers) nothing is written, up to `maxDelayMs` after a report arrived. A report is answered
 * only once its batch is committed, so an acknowledged apply is never lost; a retried one is
 * written once.
 */
import {
  type AppliedRecord,
  type CatalogParameter,
  contentHash,
  type JsonValue,
  type ParameterSet,
  type WorkerProcess,
} from "@tradai/core";
import { findResolvedConfig, type KeptResolvedConfig } from "../../changes/resolved-configs.js";
import type { Queryable } from "../../db/database.js";
import { catalogStore } from "../catalog/store.js";
import { appliedParameterSet, SESSION_LAUNCHER } from "./applied-set.js";
import { sessionId } from "./session-id.js";

export interface SessionReport {
  workerId: string;
  environment: string;
  process: WorkerProcess & { instance: string; mode: "paper" | "live" };
  applies: AppliedRecord[];
  /** the process stops: its sessions end */
  final: boolean;
  /** the credential reporting */
  reportedBy: string;
  /** how the session was opened, kept with it */
  via: "heartbeat" | "open";
}

export interface RecordedSession {
  strategy: string;
  session_id: string;
  parameter_set_hash: string;
  opened: boolean;
  /** The report's applies (their seqs) this write appended: none of a resent report's. */
  appended: number[];
}

interface Waiter {
  report: SessionReport;
  /** when it arrived (ms) */
  at: number;
  resolve(sessions: RecordedSession[]): void;
  reject(error: unknown): void;
}

export interface SessionRecorderOptions {
  gatherMs?: number;
  maxRows?: number;
  /**
   * After a change event, history writes wait this long (ms) for the change to reach the workers
   * (the fan-out): recording what was applied must not slow down what is being applied.
   */
  quietMs?: number;
  /** ...but no report waits longer than this (ms) for its batch. */
  maxDelayMs?: number;
  platformVersion: string;
  /** Called after each committed batch with the history rows it appended. */
  observeBatch?: (rows: number) => void;
}

/** The parameter set of each distinct apply, remembered: a fleet applying one change shares a few. */
class SetCache {
  private readonly sets = new Map<string, { hash: string; set: ParameterSet }>();
  get(key: string) {
    const found = this.sets.get(key);
    if (found) {
      this.sets.delete(key); // most recently used last
      this.sets.set(key, found);
    }
    return found;
  }
  set(key: string, value: { hash: string; set: ParameterSet }) {
    this.sets.set(key, value);
    if (this.sets.size > 2000) this.sets.delete(this.sets.keys().next().value as string);
  }
}

/**
 * One statement, so one transaction: the parameter sets; the sessions they open, bound to the set
 * each started with (a version this server does not know is not linked, its id stays in the set);
 * the same worker's sessions of an older process, ended; the history rows (a seq already recorded,
 * from a retried report, is skipped); the sessions of processes that stopped, ended.
 */
const WRITE_BATCH = `
  WITH sets AS (
    INSERT INTO parameter_sets (hash, strategy_name, document, version_id)
    SELECT x.hash, x.strategy, x.document,
      (SELECT v.id FROM config_versions v WHERE v.strategy_name = x.strategy AND v.config_id = x.config_id)
    FROM jsonb_to_recordset($1::jsonb) AS x(hash text, strategy text, document jsonb, config_id text)
    ORDER BY x.hash
    ON CONFLICT (hash) DO NOTHING
    RETURNING hash
  ), opened AS (
    INSERT INTO runs (job_id, kind, strategy_name, environment, parameter_set_hash, version_id, config_version_id,
      task_definition, launch_input, tags, submitted_by, status, started_at, worker_id, instance, labels, code_version)
    SELECT x.job_id, x.kind, x.strategy, x.environment, x.parameter_set_hash, v.id, v.config_id,
      $3, x.launch_input,
      jsonb_build_object('worker_id', x.worker_id, 'strategy', x.strategy, 'environment', x.environment,
        'mode', x.kind, 'parameter_set_hash', x.parameter_set_hash) || x.labels,
      x.submitted_by, 'running', x.started_at, x.worker_id, x.instance, x.labels, x.code_version
    FROM jsonb_to_recordset($2::jsonb) AS x(job_id uuid, kind text, strategy text, environment text,
      parameter_set_hash text, config_id text, worker_id text, instance text, labels jsonb, code_version text,
      started_at timestamptz, submitted_by text, launch_input jsonb)
    LEFT JOIN config_versions v ON v.strategy_name = x.strategy AND v.config_id = x.config_id
    ORDER BY x.job_id
    ON CONFLICT DO NOTHING
    RETURNING job_id, worker_id, instance, strategy_name
  ), superseded AS (
    UPDATE runs r SET status = 'completed', finished_at = clock_timestamp(), progress = 100,
      progress_message = 'ended: process ' || o.instance || ' of the worker took over'
    FROM opened o
    WHERE r.worker_id = o.worker_id AND r.strategy_name = o.strategy_name AND r.instance <> o.instance
      AND r.status = 'running'
    RETURNING r.job_id
  ), history AS (
    INSERT INTO session_history (session_id, seq, config_version_id, resolved_hash, parameter_set_hash,
      applied_at, boundary, latency_ms, pending_restart, pending_between_trades, held_shadow)
    SELECT x.session_id, x.seq, x.config_version_id, x.resolved_hash, x.parameter_set_hash, x.applied_at,
      x.boundary, x.latency_ms, ARRAY(SELECT jsonb_array_elements_text(x.pending_restart)),
      ARRAY(SELECT jsonb_array_elements_text(x.pending_between_trades)),
      ARRAY(SELECT jsonb_array_elements_text(x.held_shadow))
    FROM jsonb_to_recordset($4::jsonb) AS x(session_id uuid, seq integer, config_version_id text,
      resolved_hash text, parameter_set_hash text, applied_at timestamptz, boundary text,
      latency_ms double precision, pending_restart jsonb, pending_between_trades jsonb, held_shadow jsonb)
    ORDER BY x.session_id, x.seq
    ON CONFLICT DO NOTHING
    RETURNING session_id, seq
  ), ended AS (
    UPDATE runs r SET status = 'completed', finished_at = clock_timestamp(), progress = 100,
      progress_message = 'ended: the worker stopped'
    FROM jsonb_to_recordset($5::jsonb) AS x(worker_id text, instance text)
    WHERE r.worker_id = x.worker_id AND r.instance = x.instance AND r.status = 'running'
    RETURNING r.job_id
  )
  -- (data-modifying CTEs run whether or not the query reads them)
  SELECT (SELECT array_agg(job_id::text) FROM opened) AS opened,
    (SELECT array_agg(session_id::text || ':' || seq) FROM history) AS appended`;

export function sessionRecorder(db: Queryable, options: SessionRecorderOptions) {
  const gatherMs = options.gatherMs ?? 250;
  const maxRows = options.maxRows ?? 1000;
  let waiting: Waiter[] = [];
  let rows = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let flushing: Promise<void> = Promise.resolve();
  const cache = new SetCache();
  // Sessions this recorder has seen committed: their rows exist, so a batch does not send them again
  // (a fleet's next change would otherwise re-offer thousands of runs rows for ON CONFLICT to drop).
  const known = new Set<string>();
  const KNOWN_MAX = 100_000;
  let catalog: { revision: number; parameters: CatalogParameter[] } | undefined;

  const catalogNow = async (q: Queryable) => {
    const store = catalogStore(q);
    const revision = await store.currentRevision();
    if (catalog?.revision !== revision) catalog = { revision, parameters: await store.parameters() };
    return catalog;
  };

  /** What the server served for this apply: the config of that hash, or (keys held back waiting) of that version. */
  const servedFor = async (
    q: Queryable,
    environment: string,
    a: AppliedRecord,
  ): Promise<KeptResolvedConfig | undefined> => {
    const exact = await findResolvedConfig(q, environment, a.strategy, a.resolved_hash);
    const held = a.pending_restart.length + a.pending_between_trades.length + a.held_shadow.length;
    if (exact || held === 0 || a.config_version_id === null) return exact;
    const { rows: found } = await q.query<KeptResolvedConfig>(
      `SELECT config_id, "values", provenance FROM resolved_configs
       WHERE environment = $1 AND strategy_name = $2 AND config_id = $3 ORDER BY created_at DESC LIMIT 1`,
      [environment, a.strategy, a.config_version_id],
    );
    return found[0];
  };

  const setOf = async (
    q: Queryable,
    current: { revision: number; parameters: readonly CatalogParameter[] },
    report: SessionReport,
    a: AppliedRecord,
  ) => {
    const key = [
      report.environment,
      a.strategy,
      a.resolved_hash,
      a.config_version_id ?? "",
      a.pending_restart.join(","),
      a.pending_between_trades.join(","),
      a.held_shadow.join(","),
      report.process.version ?? "",
      current.revision,
    ].join("\0");
    const known = cache.get(key);
    if (known) return known;
    const set = appliedParameterSet({
      record: a,
      codeVersion: report.process.version,
      catalog: current,
      served: await servedFor(q, report.environment, a),
      platformVersion: options.platformVersion,
    });
    const made = { hash: contentHash(set as unknown as JsonValue), set };
    cache.set(key, made);
    return made;
  };

  async function write(batch: Waiter[]): Promise<Map<Waiter, RecordedSession[]>> {
    const sets = new Map<string, { set: ParameterSet; configId: string | null }>();
    const history: Record<string, unknown>[] = [];
    const sessions = new Map<string, Record<string, unknown>>();
    const answers = new Map<Waiter, RecordedSession[]>();
    const current = await catalogNow(db);
    for (const waiter of batch) {
      const { report } = waiter;
      const mine = new Map<string, RecordedSession>();
      for (const a of [...report.applies].sort((x, y) => x.seq - y.seq)) {
        const { hash, set } = await setOf(db, current, report, a);
        sets.set(hash, { set, configId: a.config_version_id });
        const id = sessionId(report.workerId, report.process.instance, a.strategy);
        if (!known.has(id) && !sessions.has(id)) {
          sessions.set(id, {
            job_id: id,
            kind: report.process.mode,
            strategy: a.strategy,
            environment: report.environment,
            parameter_set_hash: hash,
            config_id: a.config_version_id,
            worker_id: report.workerId,
            instance: report.process.instance,
            labels: report.process.labels ?? {},
            code_version: report.process.version ?? null,
            started_at: a.applied_at,
            submitted_by: report.reportedBy,
            launch_input: {
              worker_id: report.workerId,
              instance: report.process.instance,
              mode: report.process.mode,
              environment: report.environment,
              opened_by: report.via,
              ...(report.process.host ? { host: report.process.host } : {}),
              ...(report.process.pid !== undefined ? { pid: report.process.pid } : {}),
            },
          });
        }
        history.push({
          session_id: id,
          seq: a.seq,
          config_version_id: a.config_version_id,
          resolved_hash: a.resolved_hash,
          parameter_set_hash: hash,
          applied_at: a.applied_at,
          boundary: a.boundary,
          latency_ms: a.latency_ms,
          pending_restart: a.pending_restart,
          pending_between_trades: a.pending_between_trades,
          held_shadow: a.held_shadow,
        });
        if (!mine.has(a.strategy))
          mine.set(a.strategy, {
            strategy: a.strategy,
            session_id: id,
            parameter_set_hash: hash,
            opened: false,
            appended: [],
          });
      }
      answers.set(waiter, [...mine.values()]);
    }
    const finals = batch.filter((w) => w.report.final).map((w) => [w.report.workerId, w.report.process.instance]);

    const { rows } = await db.query<{ opened: string[] | null; appended: string[] | null }>(WRITE_BATCH, [
      JSON.stringify(
        [...sets].map(([hash, { set, configId }]) => ({
          hash,
          strategy: set.strategy,
          document: set,
          config_id: configId,
        })),
      ),
      JSON.stringify([...sessions.values()]),
      SESSION_LAUNCHER,
      JSON.stringify(history),
      JSON.stringify(finals.map(([worker_id, instance]) => ({ worker_id, instance }))),
    ]);
    const opened = new Set(rows[0]?.opened ?? []);
    for (const id of sessions.keys()) {
      known.add(id);
      if (known.size > KNOWN_MAX) known.delete(known.values().next().value as string);
    }
    options.observeBatch?.(history.length);
    for (const list of answers.values()) for (const s of list) s.opened = opened.has(s.session_id);
    // Each appended row is told to one report (of two in a batch carrying it, the first).
    const appended = new Set(rows[0]?.appended ?? []);
    for (const [waiter, list] of answers) {
      for (const a of waiter.report.applies) {
        const session = list.find((s) => s.strategy === a.strategy);
        const key = `${session?.session_id}:${a.seq}`;
        if (session && appended.delete(key)) session.appended.push(a.seq);
      }
    }
    return answers;
  }

  const quietMs = options.quietMs ?? 400;
  const maxDelayMs = options.maxDelayMs ?? 2000;
  let busyUntil = 0;

  /** Writes what is waiting, `maxRows` applies per statement. */
  const flush = async () => {
    timer = undefined;
    const all = waiting;
    waiting = [];
    rows = 0;
    while (all.length > 0) {
      const batch: Waiter[] = [];
      let n = 0;
      while (all.length > 0 && (batch.length === 0 || n + (all[0] as Waiter).report.applies.length <= maxRows)) {
        const w = all.shift() as Waiter;
        batch.push(w);
        n += w.report.applies.length;
      }
      try {
        const answers = await write(batch);
        for (const w of batch) w.resolve(answers.get(w) ?? []);
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
  };
  /** When the waiting reports may be written: after the gather, out of a fan-out, before the oldest's limit. */
  const due = () => {
    const oldest = waiting[0]?.at ?? Date.now();
    return Math.min(oldest + maxDelayMs, Math.max(oldest + gatherMs, busyUntil));
  };
  const arm = (now: boolean) => {
    if (timer) clearTimeout(timer);
    const wait = now ? 0 : Math.max(0, due() - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      // A change arrived since this was armed: wait for its fan-out (within the oldest's limit).
      if (!now && due() > Date.now() + 1) return arm(false);
      flushing = flushing.then(flush);
    }, wait);
  };
  const schedule = (full: boolean) => {
    // A full batch goes at once, unless a fan-out is under way (then within the limit, in chunks).
    if (full && Date.now() >= busyUntil) arm(true);
    else if (!timer) arm(false);
  };

  return {
    /** Appends the report's applies to its sessions (opening them as needed); resolves once committed. */
    record(report: SessionReport): Promise<RecordedSession[]> {
      return new Promise((resolve, reject) => {
        waiting.push({ report, at: Date.now(), resolve, reject });
        rows += report.applies.length;
        schedule(rows >= maxRows);
      });
    },
    /** A change event: its fan-out to the workers goes first for `quietMs`. */
    changeSeen() {
      busyUntil = Date.now() + quietMs;
    },
    /** Writes what is waiting. */
    async stop() {
      if (timer || waiting.length > 0) {
        if (timer) clearTimeout(timer);
        timer = undefined;
        flushing = flushing.then(flush);
      }
      await flushing;
    },
  };
}

export type SessionRecorder = ReturnType<typeof sessionRecorder>;
