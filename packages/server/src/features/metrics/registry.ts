/** @module The platform's Prometheus metrics (prom-client), one registry per platform instance. */
import type { WorkerView } from "@tradai/core";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { breakerStates } from "../../resilience/breakers.js";

/** Propagation and notify lag: from a few milliseconds to minutes. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export function platformMetrics() {
  const registry = new Registry();
  registerDefaultMetrics(registry);
  return {
    registry,
    rbacShadowViolations: new Counter({
      name: "tradai_rbac_shadow_violations_total",
      help: "Requests RBAC would have refused, allowed because TRADAI_RBAC_MODE=shadow",
      labelNames: ["action", "principal_kind"] as const,
      registers: [registry],
    }),
    authFailures: new Counter({
      name: "tradai_auth_failures_total",
      help: "Requests refused with 401 (missing or wrong credentials)",
      registers: [registry],
    }),
    subscribers: new Gauge({
      name: "tradai_stream_subscribers",
      help: "Open change-stream (SSE) connections on this replica",
      labelNames: ["environment"] as const,
      registers: [registry],
    }),
    forbidden: new Counter({
      name: "tradai_forbidden_total",
      help: "Requests refused with 403 by RBAC",
      labelNames: ["action"] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "tradai_http_request_duration_seconds",
      help: "HTTP requests answered by this replica, by route pattern and status (streams not included)",
      labelNames: ["method", "route", "status_code"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
    propagation: new Histogram({
      name: "tradai_config_propagation_seconds",
      help: "From a change event's commit to a worker applying it at a boundary (worker's clock, from heartbeats)",
      labelNames: ["environment"] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    versionApplied: new Histogram({
      name: "tradai_config_version_applied_seconds",
      help: "KPI 3: from a change's commit to a worker applying it, as each worker measured it (config_version_applied)",
      labelNames: ["environment"] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    applyViolations: new Counter({
      name: "tradai_config_apply_violations_total",
      help: "KPI 4: config_apply_violation events workers reported (a value applied outside its safe point); must stay 0",
      labelNames: ["environment"] as const,
      registers: [registry],
    }),
    notifyLag: new Histogram({
      name: "tradai_config_notify_lag_seconds",
      help: "From a change event's commit to this replica handing it to its subscribers",
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    streamFanout: new Histogram({
      name: "tradai_stream_fanout_seconds",
      help: "From this replica handing a change to its config streams to the last live one writing it to its socket (after tradai_config_notify_lag_seconds)",
      buckets: [0.0005, 0.001, 0.0025, ...LATENCY_BUCKETS],
      registers: [registry],
    }),
    databaseStatements: new Counter({
      name: "tradai_database_statements_total",
      help: "Statements this replica sent its database (reads and writes; in transactions one by one)",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
    sessionHistoryRows: new Counter({
      name: "tradai_session_history_rows_total",
      help: "Rows appended to sessions' applied history by this replica",
      registers: [registry],
    }),
    sessionHistoryWrites: new Counter({
      name: "tradai_session_history_transactions_total",
      help: "Database transactions this replica used to write sessions' applied history (batched)",
      registers: [registry],
    }),
    passwordChecks: new Counter({
      name: "tradai_password_checks_total",
      help: "Password hashes this replica computed to authenticate (concurrent checks of one credential share one)",
      registers: [registry],
    }),
    auditChainOk: new Gauge({
      name: "tradai_audit_chain_ok",
      help: "1 while every check of the audit chain this replica made holds; 0 once one found it broken (tampering)",
      registers: [registry],
    }),
    auditHeadSeq: new Gauge({
      name: "tradai_audit_head_seq",
      help: "The last audit entry this replica verified",
      registers: [registry],
    }),
    auditAnchorSeq: new Gauge({
      name: "tradai_audit_anchor_seq",
      help: "The last audit chain head this replica wrote outside the database (TRADAI_AUDIT_ANCHOR_SINK)",
      registers: [registry],
    }),
    auditAnchorFailures: new Counter({
      name: "tradai_audit_anchor_failures_total",
      help: "Anchors of the audit chain head that could not be written to the sink",
      registers: [registry],
    }),
    workerAlerts: new Counter({
      name: "tradai_worker_alerts_total",
      help: "Worker alert episodes this replica announced, by kind (lagging, stale, recovered)",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
    rolloutStep: new Gauge({
      name: "tradai_rollout_step",
      help: "The step (1-based) each open staged rollout is at, as this replica last saw it; 0 once it ended",
      labelNames: ["environment", "strategy", "rollout_id"] as const,
      registers: [registry],
    }),
    rolloutGuardTrips: new Counter({
      name: "tradai_rollout_guard_trips_total",
      help: "Staged rollouts this replica rolled back because a guard tripped, by guard kind",
      labelNames: ["environment", "strategy", "guard"] as const,
      registers: [registry],
    }),
    legacyMirrorWrites: new Counter({
      name: "tradai_legacy_mirror_writes_total",
      help: "Legacy mirror passes this replica made, by environment and outcome (written, unchanged: the row held it already, failed)",
      labelNames: ["environment", "outcome"] as const,
      registers: [registry],
    }),
  };
}

export type PlatformMetrics = ReturnType<typeof platformMetrics>;

/**
 * Node's process metrics, less the three gauges named `..._total` (active handles, requests and
 * resources), which `promtool check metrics` refuses: a `_total` name is a counter's. Their
 * per-type gauges without the suffix stay.
 */
function registerDefaultMetrics(registry: Registry): void {
  const defaults = new Registry();
  collectDefaultMetrics({ register: defaults, prefix: "tradai_" });
  for (const { name } of defaults.getMetricsAsArray()) {
    const metric = defaults.getSingleMetric(name);
    if (metric && !(metric instanceof Gauge && name.endsWith("_total"))) registry.registerMetric(metric);
  }
}

export interface CollectedSources {
  /** This replica's change-feed position. */
  feedSeq(): number;
  /** The environments, so that every status of each is shown (0 included). */
  environments(): readonly string[];
  /** Activations so far, by environment (from the database: the same on every replica). */
  activationsByEnvironment(): Promise<{ environment: string; count: number }[]>;
  /** Every worker with what it applied and how far behind it is, as GET /api/v1/workers reports them. */
  workers(): Promise<WorkerView[]>;
  /** At most this many worker series (per metric): the most lagging first; the rest are counted as dropped. */
  workerSeriesMax: number;
  /** The legacy mirrors with their lag, as GET /api/v1/legacy-mirrors reports them. */
  legacyMirrors(): Promise<{ environment: string; strategy: string; enabled: boolean; lag_seconds: number }[]>;
}

/** Metrics read when scraped, from the feed and the database. */
export function registerCollectedMetrics(metrics: PlatformMetrics, sources: CollectedSources): void {
  const registers = [metrics.registry];
  const readWorkers = onePerScrape(sources.workers);
  new Gauge({
    name: "tradai_circuit_state",
    help: "Each dependency's circuit breaker on this replica: 0 closed, 1 half-open (probing), 2 open (failing fast)",
    labelNames: ["dependency"] as const,
    registers,
    collect() {
      this.reset();
      for (const [dependency, state] of breakerStates()) this.set({ dependency }, state);
    },
  });
  new Gauge({
    name: "tradai_config_feed_seq",
    help: "The seq of the last change event this replica has handed to its subscribers",
    registers,
    collect() {
      this.set(sources.feedSeq());
    },
  });
  new Gauge({
    name: "tradai_legacy_mirror_lag_seconds",
    help: "How long the first change a legacy mirror has not written has been waiting (0: the legacy row is up to date), by environment and strategy; mirrors turned off are left out",
    labelNames: ["environment", "strategy"] as const,
    registers,
    async collect() {
      const rows = await sources.legacyMirrors().catch(() => undefined);
      if (!rows) return;
      this.reset();
      for (const m of rows)
        if (m.enabled) this.set({ environment: m.environment, strategy: m.strategy }, m.lag_seconds);
    },
  });
  new Gauge({
    name: "tradai_workers",
    help: "Workers by environment and status (ok, lagging, stale)",
    labelNames: ["environment", "status"] as const,
    registers,
    async collect() {
      // The database down: the last counts stay (the rest of /metrics must still be served).
      const workers = await readWorkers();
      if (!workers) return;
      this.reset();
      for (const { environment, status, count } of workersByStatus(workers, sources.environments()))
        this.set({ environment, status }, count);
    },
  });
  registerWorkerMetrics(registers, sources, readWorkers);
  new Counter({
    name: "tradai_config_activations_total",
    help: "Config versions activated (activations, promotions, rollbacks, approved changes), by environment",
    labelNames: ["environment"] as const,
    registers,
    async collect() {
      const rows = await sources.activationsByEnvironment().catch(() => undefined);
      if (!rows) return;
      this.reset();
      for (const row of rows) this.inc({ environment: row.environment }, row.count);
    },
  });
}

/**
 * Which version each worker runs, and how far behind it is, one series per worker and strategy:
 * what operators ask of Grafana ("which version runs where"). A fleet larger than the bound keeps
 * its most lagging workers and counts the rest in tradai_worker_series_dropped.
 */
function registerWorkerMetrics(
  registers: Registry[],
  sources: CollectedSources,
  readWorkers: () => Promise<WorkerView[] | undefined>,
): void {
  let latest: { rows: WorkerSeries[]; dropped: number } | undefined;
  const read = async () => {
    const workers = await readWorkers();
    // The database down: no series rather than frozen ones.
    latest = workers ? workerSeries(workers, sources.workerSeriesMax) : undefined;
  };
  new Gauge({
    name: "tradai_worker_config_info",
    help: '1 for the config version each worker applied, by strategy, environment, worker and version (version "none": nothing applied yet)',
    labelNames: ["strategy", "environment", "worker", "version"] as const,
    registers,
    async collect() {
      await read();
      this.reset();
      for (const r of latest?.rows ?? [])
        this.set({ strategy: r.strategy, environment: r.environment, worker: r.worker, version: r.version }, 1);
    },
  });
  new Gauge({
    name: "tradai_worker_lag_seconds",
    help: "How long the first change a worker has not applied has been waiting for it (0: up to date), by strategy, environment and worker",
    labelNames: ["strategy", "environment", "worker"] as const,
    registers,
    async collect() {
      await read();
      this.reset();
      for (const r of latest?.rows ?? [])
        this.set({ strategy: r.strategy, environment: r.environment, worker: r.worker }, r.lagSeconds);
    },
  });
  new Gauge({
    name: "tradai_worker_series_dropped",
    help: "Worker and strategy pairs left out of the per-worker series because there are more than TRADAI_WORKER_METRICS_MAX (the least lagging are dropped)",
    registers,
    async collect() {
      await read();
      this.set(latest?.dropped ?? 0);
    },
  });
}

/**
 * One read for every gauge collected in the same scrape (they are collected together): the workers
 * list is read from the database once per scrape, not once per gauge. undefined: the read failed.
 */
function onePerScrape<T>(read: () => Promise<T>): () => Promise<T | undefined> {
  let reading: Promise<T | undefined> | undefined;
  return () => {
    reading ??= read()
      .catch(() => undefined)
      .finally(() => setTimeout(() => (reading = undefined), 0));
    return reading;
  };
}

/** Workers by environment and status, every status of every environment (0 included, so a dashboard shows 0 rather than nothing). */
export function workersByStatus(
  workers: readonly WorkerView[],
  environments: readonly string[],
): { environment: string; status: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const w of workers) {
    const key = `${w.environment}\0${w.status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return environments.flatMap((environment) =>
    (["ok", "lagging", "refused", "stale"] as const).map((status) => ({
      environment,
      status,
      count: counts.get(`${environment}\0${status}`) ?? 0,
    })),
  );
}

interface WorkerSeries {
  strategy: string;
  environment: string;
  worker: string;
  version: string;
  lagSeconds: number;
}

/** The per-worker series, the most lagging first, at most `max` of them. */
export function workerSeries(workers: readonly WorkerView[], max: number): { rows: WorkerSeries[]; dropped: number } {
  const all = workers.flatMap((w) =>
    w.strategies.map((s) => ({
      strategy: s.strategy,
      environment: w.environment,
      worker: w.worker_id,
      version: s.applied_config_id ?? "none",
      lagSeconds: s.lag_seconds,
    })),
  );
  all.sort(
    (a, b) => b.lagSeconds - a.lagSeconds || a.worker.localeCompare(b.worker) || a.strategy.localeCompare(b.strategy),
  );
  return { rows: all.slice(0, max), dropped: Math.max(0, all.length - max) };
}
