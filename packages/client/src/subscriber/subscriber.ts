/**
 * @module The worker library: subscribe to a strategy's configuration and apply changes only at
 * the worker's safe points. The stream brings changes; while it is down, `resolve` is polled.
 * Every config from the server is checked against its hash and kept on disk as the
 * last-known-good copy, from which only a paper worker may start when the server is unreachable.
 * @example
 * const config = createConfigSubscriber({ url, credentials: { token }, environment: "paper", strategies: ["StochRsi"], workerId: "paper-1", mode: "paper" });
 * await config.start();
 * for (;;) {
 *   const { values } = config.current("StochRsi"); // constant for the whole cycle
 *   await decideAndTrade(values);
 *   // Between cycles: hot changes apply here; between_trades changes only when no trade is open.
 *   config.boundary({ at: "candle_close", openTrades: openTrades.length });
 *   if (config.restartRequired) log.warn(config.pendingRestart());
 *   log.debug(config.pendingBetweenTrades()); // held until no trade is open, e.g. { StochRsi: ["stake_amount"] }
 * }
 * Shadow keys never change: at the boundary where a hot key would take a new value, the library
 * logs and reports `config_shadow_would_apply` (key, old and new value, boundary, open trades).
 */
import type {
  ChangedKey,
  ChangeFrame,
  OpenSessionsBody,
  OpenSessionsResponse,
  RefusedConfig,
  ShadowObservation,
  SnapshotFrame,
} from "@tradai/core";
import { HEALTH_FIGURE_NAME, MAX_HEALTH_FIGURES } from "@tradai/core";
import { type ApiCredentials, basicAuthorization } from "../api-client.js";
import { type AppliedConfig, AppliedState, type BoundaryOptions, type IncomingConfig } from "./applied-state.js";
import {
  isVerified,
  type LastKnownGoodStore,
  lastKnownGoodFile,
  loadLastKnownGood,
  saveLastKnownGood,
} from "./last-known-good.js";
import { catalogReloadClasses, type PollTarget, pollResolve } from "./resolve-poll.js";
import { unsafeChanges, type WorkerEventName, type WorkerEventSink } from "./signals.js";
import { readSse } from "./sse.js";

export type WorkerMode = "live" | "paper";

export interface SubscriberOptions {
  url: string;
  credentials: ApiCredentials;
  environment: string;
  strategies: string[];
  workerId: string;
  /**
   * `live` (default) starts only from a config the server verified, or not at all, and refuses a
   * config the catalog warns of (a deprecated key or value, an uncatalogued key): it keeps the one
   * it runs and reports `refused`. `paper` applies such a config and warns, and may start from the
   * last-known-good copy when the server is unreachable, flagged `stale`.
   */
  mode?: WorkerMode;
  /**
   * Where the last verified config is kept: a file path, a store, or null for nowhere. Default:
   * `.tradai/workers/<environment>.<workerId>.json` under the current directory.
   */
  lastKnownGood?: string | LastKnownGoodStore | null;
  /** The code this worker runs (git SHA, image digest or package version): kept with its sessions' parameter sets. */
  codeVersion?: string;
  /** Labels of this worker and its sessions, e.g. { exchange: "binance", canary: "true" }: the workers view filters on them, a rollout may select by them. */
  labels?: Record<string, string>;
  /**
   * Health figures sent with each heartbeat, e.g. () => ({ errors: 2, rejected_orders: 0, drawdown_pct: 1.5 }):
   * at most 20, named in lower case. The workers view shows the latest; a staged rollout's guards
   * compare canaries with the rest on them. A figure that is not a finite number, or that the server
   * would refuse (a name not in lower case, more than 20), is left out.
   */
  health?: () => Record<string, number>;
  /** This process, for its sessions (default: a UUID made at creation). */
  instance?: string;
  /** How long start() waits for the server before it fails (default 30 s). */
  startTimeoutMs?: number;
  /** How often to report what is applied (default 10 s). */
  heartbeatMs?: number;
  /** How often `resolve` is polled while the stream is down (default 5 s). */
  pollMs?: number;
  /**
   * Reconnect backoff: first delay and cap, with full jitter. Default: the first delay at most the
   * stream's `retry:` (else 1 s), doubling to 30 s.
   */
  backoffMs?: { initial: number; max: number };
  fetch?: typeof fetch;
  /** Where failures are told (default: console.warn). */
  warn?: (message: string) => void;
  /** Where shadow keys' would-apply lines are told (default: console.info). */
  info?: (message: string) => void;
  /**
   * Where the worker's signals go: `config_version_applied` per change applied at a boundary,
   * `config_shadow_would_apply` per shadow change not applied (also told to `info`), and
   * `config_apply_violation` (never in correct use; also warned). Default: nowhere (heartbeats
   * carry their counts, and the shadow observations, to the server either way).
   */
  onEvent?: WorkerEventSink;
}

/** Where a boundary is, and what the worker holds there. */
export interface BoundaryPoint extends BoundaryOptions {
  /** The safe point's name (e.g. "candle_close"; default "boundary"), kept in the session's history. */
  at?: string;
}

export interface ConfigSubscriber {
  /** Resolves once a first configuration is applied (from the server; in paper mode maybe from disk). */
  start(): Promise<void>;
  /** What the worker runs on, for one strategy: immutable; changes only at boundary(). */
  current(strategy: string): AppliedConfig;
  /**
   * Applies pending changes; returns the configs that changed. Hot keys apply at every boundary;
   * between_trades keys only when `openTrades` is 0 (not told: a trade may be open, they are held).
   * `at` (or a string alone) names the safe point (e.g. "candle_close"; default "boundary"), kept
   * in the session's history with each apply.
   */
  boundary(point?: string | BoundaryPoint): AppliedConfig[];
  /** The session this process runs `strategy` in, once the server opened it (null before, or without a server). */
  sessionId(strategy?: string): string | null;
  readonly hasPending: boolean;
  readonly restartRequired: boolean;
  /** Keys waiting for a restart, by strategy (only strategies with some). */
  pendingRestart(): Record<string, readonly string[]>;
  /** Keys held until a boundary with no open trade, by strategy (only strategies with some). */
  pendingBetweenTrades(): Record<string, readonly string[]>;
  /** Shadow keys whose new value is not applied, by strategy (only strategies with some). */
  heldShadow(): Record<string, readonly string[]>;
  /** Live mode: the configs refused (catalog warnings), by strategy, with the reason. */
  refused(): Record<string, string>;
  /** True while the config in use came from the last-known-good copy and the server has not answered. */
  readonly stale: boolean;
  /** True while the change stream is connected (else `resolve` is polled). */
  readonly streaming: boolean;
  /** Called with each config a boundary changed. */
  onApplied(listener: (applied: AppliedConfig) => void): () => void;
  /** Called with each message from the server (diagnostics: a poll carries no seq of its own). */
  onReceive(listener: (message: ReceivedMessage) => void): () => void;
  /** The record with the applied version and hash added (PnL rows, signals, metrics). */
  tag<T extends object>(
    record: T,
    strategy?: string,
  ): T & { config_version_id: string | null; resolved_hash: string | null; session_id: string | null };
  /** The last seq seen on the stream. */
  readonly seq: number;
  stop(): Promise<void>;
}

export interface ReceivedMessage {
  kind: "snapshot" | "change" | "poll";
  seq: number;
  strategies: string[];
}

function storeOf(options: SubscriberOptions): LastKnownGoodStore | null {
  const given = options.lastKnownGood;
  if (given === null) return null;
  if (typeof given === "object") return given;
  if (typeof given === "string") return lastKnownGoodFile(given);
  if (typeof process === "undefined" || typeof process.cwd !== "function") return null; // a browser
  return lastKnownGoodFile(`${process.cwd()}/.tradai/workers/${options.environment}.${options.workerId}.json`);
}

export function createConfigSubscriber(options: SubscriberOptions): ConfigSubscriber {
  const doFetch = options.fetch ?? fetch;
  const base = options.url.replace(/\/+$/, "");
  const mode = options.mode ?? "live";
  const warn = options.warn ?? ((m: string) => console.warn(`tradai subscriber: ${m}`));
  const authorization =
    "token" in options.credentials
      ? `Bearer ${options.credentials.token}`
      : basicAuthorization(options.credentials.username, options.credentials.password);
  // The worker names itself and its labels where it reads: a staged rollout may assign it a version.
  // A label a selector cannot name (a ',' or '=' in its value, a name out of pattern) is left out.
  const selectable = Object.entries(options.labels ?? {}).filter(
    ([k, v]) => /^[a-z][a-z0-9_.-]{0,62}$/.test(k) && /^[^,=]{0,200}$/.test(v),
  );
  const readerParams: Record<string, string> = {
    worker_id: options.workerId,
    ...(selectable.length > 0 ? { labels: selectable.map(([k, v]) => `${k}=${v}`).join(",") } : {}),
  };
  const pollTarget: PollTarget = {
    base,
    authorization,
    environment: options.environment,
    fetch: doFetch,
    reader: readerParams,
  };
  const store = storeOf(options);
  const state = new AppliedState();
  const listeners = new Set<(applied: AppliedConfig) => void>();
  /** How many of each signal this process emitted: every heartbeat carries them. */
  const eventCounts: Record<WorkerEventName, number> = {
    config_version_applied: 0,
    config_apply_violation: 0,
    config_shadow_would_apply: 0,
    config_refused: 0,
  };
  const emit = (name: WorkerEventName, fields: Record<string, unknown>) => {
    eventCounts[name] += 1;
    try {
      options.onEvent?.(name, fields);
    } catch (error) {
      warn(`the event sink failed on ${name}: ${(error as Error).message}`);
    }
  };
  const receivers = new Set<(message: ReceivedMessage) => void>();
  const told = (kind: ReceivedMessage["kind"], at: number, configs: IncomingConfig[]) => {
    const message = { kind, seq: at, strategies: configs.map((c) => c.strategy) };
    for (const receiver of receivers) receiver(message);
  };
  /** The newest verified config per strategy (applied or pending): what is saved, and what a poll compares. */
  const latest = new Map<string, IncomingConfig>();
  /** The newest config per strategy this worker would run (a live worker refuses some): the copy on disk. */
  const keepable = new Map<string, IncomingConfig>();
  let seq = 0;
  let started = false;
  /** The stream has sent a snapshot in this process, so its seq can resume a stream. */
  let streamSeqTrusted = false;
  let stale = false;
  let streaming = false;
  let stopped = false;
  let lastError = "no answer yet";
  let abort: AbortController | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let heartbeatSoon: ReturnType<typeof setTimeout> | undefined;
  /** The last change frame's report_within_ms: the window to spread the report after an apply over. */
  let reportWithinMs: number | undefined;
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let polling = false;
  let reloadClasses: ChangedKey[] | undefined;
  let triedLastKnownGood = false;
  let firstConfig: { resolve(): void; reject(e: Error): void } | undefined;
  const instance = options.instance ?? globalThis.crypto.randomUUID();
  const sessionProcess = () => {
    const pid = typeof process === "undefined" ? undefined : process.pid;
    return {
      ...(pid === undefined ? {} : { pid }),
      mode,
      stale,
      instance,
      ...(options.codeVersion ? { version: options.codeVersion } : {}),
      ...(options.labels ? { labels: options.labels } : {}),
    };
  };
  /** Applies not yet acknowledged by the server: each heartbeat carries them until one is answered 2xx. */
  let unreported: OpenSessionsBody["applies"] = [];
  let applySeq = 0;
  const sessions = new Map<string, string>();
  const MAX_UNREPORTED = 5000;
  const recordApplies = (applied: AppliedConfig[], boundaryName: string) => {
    for (const a of applied) {
      if (a.resolved_hash === null) continue;
      applySeq += 1;
      unreported.push({
        strategy: a.strategy,
        seq: applySeq,
        config_version_id: a.config_version_id,
        resolved_hash: a.resolved_hash,
        values: a.values as Record<string, unknown>,
        applied_at: a.applied_at,
        boundary: boundaryName,
        latency_ms: a.event_at === null ? null : Math.max(0, Date.parse(a.applied_at) - Date.parse(a.event_at)),
        pending_restart: [...a.pending_restart],
        // Only when some wait (the server's default is none): a server older than the class refuses the field.
        ...(a.pending_between_trades.length > 0 ? { pending_between_trades: [...a.pending_between_trades] } : {}),
        ...(a.held_shadow.length > 0 ? { held_shadow: [...a.held_shadow] } : {}),
      });
    }
    if (unreported.length > MAX_UNREPORTED) {
      const dropped = unreported.length - MAX_UNREPORTED;
      unreported = unreported.slice(dropped);
      warn(
        `the server has not acknowledged ${MAX_UNREPORTED} applies: dropped the ${dropped} oldest from the session history`,
      );
    }
  };
  /** Shadow observations not yet acknowledged by the server: each heartbeat carries them until one is answered 2xx. */
  let unreportedShadow: ShadowObservation[] = [];
  let shadowId = 0;
  const recordShadow = (at: string) => {
    for (const change of state.takeShadowChanges()) {
      shadowId += 1;
      const observation: ShadowObservation = { id: shadowId, ...change, boundary: at };
      unreportedShadow.push(observation);
      const trade = change.open_trades === null ? "trades not told" : `${change.open_trades} trade(s) open`;
      const show = (v: unknown, present: boolean) => (present ? JSON.stringify(v) : "(absent)");
      try {
        (options.info ?? console.info)(
          `config_shadow_would_apply: ${change.strategy} ${change.key} ${show(change.old, "old" in change)} -> ${show(change.new, "new" in change)} at ${at} (${trade})`,
        );
      } catch {}
      emit("config_shadow_would_apply", {
        ...observation,
        worker_id: options.workerId,
        environment: options.environment,
        trade_open: change.open_trades === null ? null : change.open_trades > 0,
      });
    }
    if (unreportedShadow.length > MAX_UNREPORTED) {
      const dropped = unreportedShadow.length - MAX_UNREPORTED;
      unreportedShadow = unreportedShadow.slice(dropped);
      warn(`the server has not acknowledged ${MAX_UNREPORTED} shadow observations: dropped the ${dropped} oldest`);
    }
  };
  /** Live mode: per strategy, the config refused for its catalog warnings (until a clean one applies). */
  const refusals = new Map<string, RefusedConfig>();
  /** Paper mode: the configs whose warnings were told already (once per hash). */
  const warnedHashes = new Set<string>();
  const warningsText = (c: IncomingConfig) => (c.warnings ?? []).map((w) => w.message).join("; ");
  /** Before a boundary applies anything: live refuses a config the catalog warns of; paper warns of it. */
  const judgeWarnings = () => {
    for (const config of state.pendingConfigs()) {
      if ((config.warnings?.length ?? 0) === 0) {
        refusals.delete(config.strategy); // a clean config: nothing refused any more
        continue;
      }
      const reason = `catalog warnings: ${warningsText(config)}`;
      if (mode === "paper") {
        const key = `${config.strategy}\0${config.resolved_hash}`;
        if (!warnedHashes.has(key)) warn(`applying the config of ${config.strategy} although the ${reason}`);
        warnedHashes.add(key);
        continue;
      }
      state.dropPending(config.strategy);
      if (refusals.get(config.strategy)?.resolved_hash === config.resolved_hash) continue; // told already
      const refusal = {
        strategy: config.strategy,
        config_version_id: config.config_version_id,
        resolved_hash: config.resolved_hash,
        reason: reason.slice(0, 2000),
        at: new Date().toISOString(),
      };
      refusals.set(config.strategy, refusal);
      warn(
        `refused the config of ${config.strategy} (${config.config_version_id ?? "no version"}): ${reason}; it keeps the one it runs`,
      );
      emit("config_refused", {
        ...refusal,
        worker_id: options.workerId,
        environment: options.environment,
        warnings: config.warnings,
      });
      heartbeatAfterApply();
    }
  };
  /** Opens the sessions explicitly with the configs the worker starts on (an older server: the heartbeat does). */
  const openSessions = async () => {
    const sent = unreported.slice(0, 200);
    if (sent.length === 0) return;
    try {
      const response = await doFetch(`${base}/api/v1/workers/${encodeURIComponent(options.workerId)}/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization },
        signal: AbortSignal.timeout(10_000),
        body: JSON.stringify({ environment: options.environment, process: sessionProcess(), applies: sent }),
      });
      if (!response.ok) {
        warn(`opening the sessions answered HTTP ${response.status}: the heartbeat will carry them`);
        return;
      }
      const answer = (await response.json()) as OpenSessionsResponse;
      for (const s of answer.sessions) sessions.set(s.strategy, s.session_id);
      unreported = unreported.filter((a) => !sent.includes(a));
    } catch (error) {
      warn(`opening the sessions failed (${(error as Error).message}): the heartbeat will carry them`);
    }
  };

  let saving: Promise<void> = Promise.resolve();
  const saveCopy = () => {
    if (!store || stale) return; // a copy read from disk is not written back as if verified
    const copy = {
      environment: options.environment,
      seq,
      saved_at: new Date().toISOString(),
      configs: [...keepable.values()],
    };
    saving = saving
      .then(() => saveLastKnownGood(store, copy))
      .catch((error) => warn(`could not save the last-known-good copy: ${(error as Error).message}`));
  };

  /** Takes configs from the server: those that fail their hash are refused. */
  const accept = (configs: IncomingConfig[], changes: ChangedKey[], initial: boolean, at: number) => {
    const good = configs.filter((c) => {
      if (!options.strategies.includes(c.strategy)) return false;
      if (isVerified(c)) return true;
      warn(`refused the config of ${c.strategy} from the server: its values do not match its resolved hash`);
      return false;
    });
    const warned = good.filter((c) => (c.warnings?.length ?? 0) > 0);
    if (initial && mode === "live" && warned.length > 0) {
      // Live fails fast: it has no config to keep, and trades on none the catalog warns of.
      failStart(
        new Error(
          `a live worker starts only on a config the catalog does not warn of: ${warned.map((c) => `${c.strategy}: ${warningsText(c)}`).join("; ")}`,
        ),
      );
      return [];
    }
    if (initial) state.initialise(good, at);
    else state.receive(good, at, changes);
    for (const c of good) latest.set(c.strategy, c);
    // The copy holds what this worker would run: a live worker never a config it refuses.
    for (const c of good) if (mode !== "live" || (c.warnings?.length ?? 0) === 0) keepable.set(c.strategy, c);
    saveCopy();
    return good;
  };

  const serverAnswered = () => {
    if (!stale) return;
    stale = false;
    warn("the server answered: the last-known-good config is no longer stale (new values apply at the next boundary)");
  };

  /** Counts stream messages, so a poll answer that crossed one (and may be older) is dropped. */
  let streamMessages = 0;
  /** Set by a goodbye frame: how long to wait before the next connection. */
  let goodbyeDelay: number | undefined;
  const handle = async (event: string, data: string) => {
    // A later snapshot (after a gap too old to replay, or after a start from disk) is a change like
    // any other, but it names no reload classes: the catalog's are read first.
    let classes: ChangedKey[] = [];
    if (event === "snapshot" && started) {
      classes = await catalogReloadClasses(pollTarget).catch((error: Error) => {
        warn(`could not read the catalog's reload classes (${error.message}): changed keys wait as restart-only`);
        return [];
      });
    }
    streamMessages += 1;
    if (event === "snapshot") {
      const payload = JSON.parse(data) as SnapshotFrame;
      const initial = !started;
      seq = payload.seq;
      serverAnswered();
      streamSeqTrusted = true;
      told("snapshot", payload.seq, accept(payload.configs, classes, initial, payload.seq));
      if (initial) {
        recordApplies(state.all(), "start");
        started = true;
        firstConfig?.resolve();
      }
    } else if (event === "change") {
      const payload = JSON.parse(data) as ChangeFrame;
      seq = Math.max(seq, payload.seq);
      if (Number.isSafeInteger(payload.report_within_ms)) reportWithinMs = payload.report_within_ms;
      const configs = payload.configs.map((c) => ({ ...c, event_at: payload.at ?? null }));
      told("change", payload.seq, accept(configs, payload.changes, false, payload.seq));
    } else if (event === "goodbye") {
      // The replica shuts down: reconnect after the delay it drew, so its subscribers spread out.
      const after = Number((JSON.parse(data) as { reconnect_after_ms?: unknown }).reconnect_after_ms);
      if (Number.isFinite(after) && after >= 0) goodbyeDelay = Math.min(after, 60_000);
    }
  };

  const failStart = (error: Error) => {
    stopped = true;
    abort?.abort();
    stopPolling();
    firstConfig?.reject(error);
  };

  /** Paper mode only, when the server did not answer: start from the copy on disk, loudly. */
  const startFromLastKnownGood = async () => {
    if (mode !== "paper" || !store || triedLastKnownGood) return;
    triedLastKnownGood = true;
    try {
      const copy = await loadLastKnownGood(store, options.environment, options.strategies);
      if (started || stopped) return;
      state.initialise(copy.configs, copy.seq);
      for (const c of copy.configs) {
        latest.set(c.strategy, c);
        keepable.set(c.strategy, c);
      }
      seq = copy.seq;
      stale = true;
      started = true;
      recordApplies(state.all(), "start (last-known-good copy)");
      warn(
        `WARNING: the server is unreachable (${lastError}); paper worker ${options.workerId} starts from the ` +
          `last-known-good copy saved ${copy.saved_at} (${store.where}). It is STALE until the server answers.`,
      );
      firstConfig?.resolve();
    } catch (error) {
      warn(`cannot start from the last-known-good copy: ${(error as Error).message}`);
    }
  };

  const pollOnce = async () => {
    if (polling || stopped) return;
    polling = true;
    try {
      let answered = 0;
      for (const strategy of options.strategies) {
        const mark = streamMessages;
        const answer = await pollResolve(pollTarget, strategy, latest.get(strategy)?.resolved_hash);
        answered += 1;
        if (answer === "unchanged") continue;
        reloadClasses ??= await catalogReloadClasses(pollTarget);
        // Checked after the last await: a stream message that came meanwhile is newer than this answer.
        if (streaming || streamMessages !== mark) continue;
        told("poll", seq, accept([answer], reloadClasses, false, seq));
      }
      if (answered === options.strategies.length) serverAnswered();
    } catch (error) {
      lastError = (error as Error).message;
    } finally {
      polling = false;
    }
  };
  const startPolling = () => {
    if (pollTimer || stopped) return;
    pollTimer = setInterval(() => void pollOnce(), options.pollMs ?? 5000);
    void pollOnce();
  };
  function stopPolling() {
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = undefined;
    reloadClasses = undefined; // the catalog may change before the next outage
  }

  const connectLoop = async () => {
    const { initial, max } = options.backoffMs ?? { initial: 500, max: 30_000 };
    // The server's `retry:` (the WHATWG reconnection time) bounds the first delay, unless set here.
    let retryMs: number | undefined;
    let attempt = 0;
    while (!stopped) {
      abort = new AbortController();
      try {
        const headers: Record<string, string> = { accept: "text/event-stream", authorization };
        if (streamSeqTrusted) headers["last-event-id"] = String(seq);
        const query = new URLSearchParams({ environment: options.environment, ...readerParams });
        for (const s of options.strategies) query.append("strategy", s);
        const response = await doFetch(`${base}/api/v1/stream?${query}`, { headers, signal: abort.signal });
        if (!response.ok || !response.body) {
          const text = await response.text().catch(() => "");
          const error = new Error(`the stream answered HTTP ${response.status}: ${text.slice(0, 300)}`);
          // Wrong credentials or no permission will not fix themselves: fail the start.
          if (!started && (response.status === 401 || response.status === 403)) return failStart(error);
          throw error;
        }
        attempt = 0;
        streaming = true;
        stopPolling();
        const stream = readSse(response.body, {
          signal: abort.signal,
          onRetry: (ms) => {
            retryMs = ms;
          },
        });
        for await (const message of stream) await handle(message.event, message.data);
        if (!stopped) warn("the stream ended; reconnecting");
      } catch (error) {
        if (stopped) return;
        lastError = (error as Error).message;
        const cause = (error as { cause?: Error }).cause;
        warn(`stream failed (${lastError}${cause ? `: ${cause.message}` : ""}); reconnecting`);
      } finally {
        streaming = false;
      }
      if (!started) await startFromLastKnownGood();
      if (started) startPolling();
      attempt += 1;
      // Full jitter: at most `first` the first time, doubling after.
      // Never below `initial`: a goodbye's retry: may be 0, and a failed reconnect must still back off.
      const first = options.backoffMs ? initial * 2 : Math.max(retryMs ?? initial * 2, initial);
      const ceiling = Math.min(max, first * 2 ** (attempt - 1));
      const delay = goodbyeDelay ?? Math.random() * ceiling;
      goodbyeDelay = undefined;
      await new Promise((r) => setTimeout(r, delay));
    }
  };

  /** `{health}` from the worker's callback, finite numbers only; a callback that throws reports none. */
  const healthFigures = (): { health?: Record<string, number> } => {
    if (!options.health) return {};
    try {
      // A figure the server would refuse would cost the whole report: it is left out, with a warning.
      const figures: [string, number][] = [];
      for (const [name, value] of Object.entries(options.health())) {
        if (typeof value !== "number" || !Number.isFinite(value)) continue;
        if (!HEALTH_FIGURE_NAME.test(name) || figures.length >= MAX_HEALTH_FIGURES)
          warn(`health figure "${name}" not reported: at most ${MAX_HEALTH_FIGURES}, named in lower case`);
        else figures.push([name, value]);
      }
      return figures.length > 0 ? { health: Object.fromEntries(figures) } : {};
    } catch (error) {
      warn(`health figures not reported: ${(error as Error).message}`);
      return {};
    }
  };

  const sendHeartbeat = async (final = false) => {
    if (stopped && !final) return;
    const sent = unreported.slice(0, 200);
    const sentShadow = unreportedShadow.slice(0, 200);
    // Sent only when some wait (the server's default is none): a server older than the class refuses the field.
    const heldBetweenTrades = state.all().flatMap((a) => a.pending_between_trades.map((k) => `${a.strategy}:${k}`));
    try {
      const response = await doFetch(`${base}/api/v1/workers/${encodeURIComponent(options.workerId)}/heartbeat`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization },
        // A server that does not answer must not hold the worker (stop() waits for the last report).
        signal: AbortSignal.timeout(10_000),
        body: JSON.stringify({
          environment: options.environment,
          applied: state.all().map((a) => ({
            strategy: a.strategy,
            config_version_id: a.config_version_id,
            resolved_hash: a.resolved_hash,
            applied_at: a.applied_at,
            // The change event it came with (none after a snapshot, a poll or the disk copy): the
            // server measures propagation from that event's commit.
            ...(a.event_at === null ? {} : { seq: a.seq }),
          })),
          last_seq: seq,
          pending_restart: state.all().flatMap((a) => a.pending_restart.map((k) => `${a.strategy}:${k}`)),
          ...(heldBetweenTrades.length > 0 ? { pending_between_trades: heldBetweenTrades } : {}),
          process: sessionProcess(),
          ...(Object.values(eventCounts).some((n) => n > 0) ? { events: { ...eventCounts } } : {}),
          ...healthFigures(),
          ...(sent.length > 0 ? { applies: sent } : {}),
          ...(sentShadow.length > 0 ? { shadow: sentShadow } : {}),
          ...(refusals.size > 0 ? { refused: [...refusals.values()] } : {}),
          ...(final ? { final: true } : {}),
        }),
      });
      if (!response.ok) warn(`heartbeat answered HTTP ${response.status}`);
      else {
        unreported = unreported.filter((a) => !sent.includes(a));
        unreportedShadow = unreportedShadow.filter((o) => !sentShadow.includes(o));
        // More waiting than one report carries: the next goes soon.
        if ((unreported.length > 0 || unreportedShadow.length > 0) && !final) heartbeatAfterApply();
      }
    } catch (error) {
      warn(`heartbeat failed: ${(error as Error).message}`);
    }
  };
  /**
   * After a change is applied: within 5 s (or the longer window the change frame names), at random,
   * and one at a time (a later change rides on the pending report), so a fleet applying one change
   * does not report in one burst.
   */
  const heartbeatAfterApply = () => {
    if (heartbeatSoon) return;
    // The server's window when it names a longer one (it scales it to the streams it holds).
    const within = Math.max(Math.min((options.heartbeatMs ?? 10_000) / 2, 5000), Math.min(reportWithinMs ?? 0, 60_000));
    heartbeatSoon = setTimeout(() => {
      heartbeatSoon = undefined;
      void sendHeartbeat();
    }, Math.random() * within);
  };

  return {
    async start() {
      const first = new Promise<void>((resolve, reject) => {
        firstConfig = { resolve, reject };
      });
      const timeoutMs = options.startTimeoutMs ?? 30_000;
      const timeout = setTimeout(async () => {
        await startFromLastKnownGood(); // paper mode, when the server hangs rather than refuses
        if (started) return;
        const why =
          mode === "live"
            ? "a live worker starts only from a config the server verified, never from the last-known-good copy"
            : "and there is no usable last-known-good copy";
        failStart(new Error(`no configuration from the server within ${timeoutMs / 1000} s (${lastError}); ${why}`));
      }, timeoutMs);
      void connectLoop();
      try {
        await first;
      } finally {
        clearTimeout(timeout);
      }
      await openSessions();
      await sendHeartbeat();
      heartbeat = setInterval(() => void sendHeartbeat(), options.heartbeatMs ?? 10_000);
    },
    current(strategy) {
      const found = state.get(strategy);
      if (!found) throw new Error(`no configuration for ${strategy} (subscribed: ${options.strategies.join(", ")})`);
      return found;
    },
    boundary(point = {}) {
      const { at = "boundary", openTrades }: BoundaryPoint = typeof point === "string" ? { at: point } : point;
      const before = new Map(state.all().map((a) => [a.strategy, a]));
      judgeWarnings();
      const changed = state.boundary(new Date(), { openTrades });
      recordApplies(changed, at);
      recordShadow(at);
      for (const applied of changed) {
        const was = before.get(applied.strategy);
        let unsafe: ReturnType<typeof unsafeChanges> = [];
        try {
          unsafe = was ? unsafeChanges(was, applied, state.reloadClasses, openTrades) : [];
        } catch (error) {
          // The values are applied already: the trading loop must go on.
          warn(`the apply check failed: ${(error as Error).message}`);
        }
        for (const { key, reload } of unsafe) {
          try {
            warn(`config_apply_violation: ${applied.strategy} ${key} (${reload}) changed at ${at}`);
          } catch {}
          emit("config_apply_violation", {
            strategy: applied.strategy,
            worker_id: options.workerId,
            key,
            reload,
            boundary: at,
            open_trades: openTrades ?? null,
          });
        }
        emit("config_version_applied", {
          strategy: applied.strategy,
          worker_id: options.workerId,
          environment: options.environment,
          config_version_id: applied.config_version_id,
          resolved_hash: applied.resolved_hash,
          seq: applied.seq,
          latency_ms:
            applied.event_at === null
              ? null
              : Math.max(0, Date.parse(applied.applied_at) - Date.parse(applied.event_at)),
          boundary: at,
          pending_restart: [...applied.pending_restart],
          pending_between_trades: [...applied.pending_between_trades],
          held_shadow: [...applied.held_shadow],
        });
      }
      for (const applied of changed) for (const listener of listeners) listener(applied);
      if (changed.length > 0 || unreportedShadow.length > 0) heartbeatAfterApply();
      return changed;
    },
    get hasPending() {
      return state.hasPending;
    },
    get restartRequired() {
      return state.all().some((a) => a.pending_restart.length > 0);
    },
    pendingRestart() {
      return Object.fromEntries(
        state
          .all()
          .filter((a) => a.pending_restart.length > 0)
          .map((a) => [a.strategy, a.pending_restart]),
      );
    },
    pendingBetweenTrades() {
      return Object.fromEntries(
        state
          .all()
          .filter((a) => a.pending_between_trades.length > 0)
          .map((a) => [a.strategy, a.pending_between_trades]),
      );
    },
    refused() {
      return Object.fromEntries([...refusals.values()].map((r) => [r.strategy, r.reason]));
    },
    heldShadow() {
      return Object.fromEntries(
        state
          .all()
          .filter((a) => a.held_shadow.length > 0)
          .map((a) => [a.strategy, a.held_shadow]),
      );
    },
    get stale() {
      return stale;
    },
    get streaming() {
      return streaming;
    },
    onApplied(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onReceive(listener) {
      receivers.add(listener);
      return () => receivers.delete(listener);
    },
    sessionId(strategy = options.strategies[0] as string) {
      return sessions.get(strategy) ?? null;
    },
    tag(record, strategy = options.strategies[0] as string) {
      const applied = state.get(strategy);
      return {
        ...record,
        config_version_id: applied?.config_version_id ?? null,
        resolved_hash: applied?.resolved_hash ?? null,
        session_id: sessions.get(strategy) ?? null,
      };
    },
    get seq() {
      return seq;
    },
    async stop() {
      // The last report: what was applied since the one before, and that the sessions end.
      const reportWaiting = started && !stopped;
      stopped = true;
      if (heartbeat) clearInterval(heartbeat);
      if (heartbeatSoon) clearTimeout(heartbeatSoon);
      heartbeatSoon = undefined;
      stopPolling();
      abort?.abort();
      // A change applied moments ago is reported now, so the session history holds what ran last; this last report also says goodbye.
      if (reportWaiting) await sendHeartbeat(true);
      await saving;
    },
  };
}
