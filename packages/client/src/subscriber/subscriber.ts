/**
 * @module The worker library: subscribe to a strategy's configuration and apply changes only at
 * the worker's safe points.
 * @example
 * const config = createConfigSubscriber({ url, credentials: { token }, environment: "paper", strategies: ["StochRsi"], workerId: "paper-1" });
 * await config.start();
 * for (;;) {
 *   const { values } = config.current("StochRsi"); // constant for the whole cycle
 *   await decideAndTrade(values);
 *   config.boundary(); // between cycles: hot changes apply here
 *   if (config.restartRequired) log.warn(config.pendingRestart());
 * }
 */
import type { ReloadClass } from "@tradai/core";
import type { ApiCredentials } from "../api-client.js";
import { type AppliedConfig, AppliedState, type IncomingConfig } from "./applied-state.js";
import { readSse } from "./sse.js";

export interface SubscriberOptions {
  url: string;
  credentials: ApiCredentials;
  environment: string;
  strategies: string[];
  workerId: string;
  /** How often to report what is applied (default 10 s). */
  heartbeatMs?: number;
  /** Reconnect backoff: first delay and cap (default 0.5 s, 30 s), with full jitter. */
  backoffMs?: { initial: number; max: number };
  fetch?: typeof fetch;
  /** Where failures are told (default: console.warn). */
  warn?: (message: string) => void;
}

export interface ConfigSubscriber {
  /** Resolves once the first configuration arrived (the snapshot). */
  start(): Promise<void>;
  /** What the worker runs on, for one strategy: immutable; changes only at boundary(). */
  current(strategy: string): AppliedConfig;
  /** Applies pending changes (hot keys); returns the configs that changed. */
  boundary(): AppliedConfig[];
  readonly hasPending: boolean;
  readonly restartRequired: boolean;
  pendingRestart(): Record<string, readonly string[]>;
  /** Called with each config a boundary changed. */
  onApplied(listener: (applied: AppliedConfig) => void): () => void;
  /** The record with the applied version and hash added (PnL rows, signals, metrics). */
  tag<T extends object>(
    record: T,
    strategy?: string,
  ): T & { config_version_id: string | null; resolved_hash: string | null };
  /** The last seq seen on the stream. */
  readonly seq: number;
  stop(): Promise<void>;
}

interface StreamPayload {
  seq: number;
  configs: IncomingConfig[];
  changes?: { key: string; reload: ReloadClass }[];
}

export function createConfigSubscriber(options: SubscriberOptions): ConfigSubscriber {
  const doFetch = options.fetch ?? fetch;
  const base = options.url.replace(/\/+$/, "");
  const warn = options.warn ?? ((m: string) => console.warn(`tradai subscriber: ${m}`));
  const authorization =
    "token" in options.credentials
      ? `Bearer ${options.credentials.token}`
      : `Basic ${btoa(`${options.credentials.username}:${options.credentials.password}`)}`;
  const state = new AppliedState();
  const listeners = new Set<(applied: AppliedConfig) => void>();
  let seq = 0;
  let started = false;
  let stopped = false;
  let abort: AbortController | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let firstConfig: { resolve(): void; reject(e: Error): void } | undefined;

  const query = () => {
    const params = new URLSearchParams({ environment: options.environment });
    for (const s of options.strategies) params.append("strategy", s);
    return params.toString();
  };

  const handle = (event: string, data: string) => {
    const payload = JSON.parse(data) as StreamPayload;
    const configs = payload.configs.filter((c) => options.strategies.includes(c.strategy));
    if (event === "snapshot" && !started) {
      state.initialise(configs, payload.seq);
      started = true;
      firstConfig?.resolve();
    } else if (event === "snapshot" || event === "change") {
      // A later snapshot (after a gap too old to replay) is a change like any other.
      state.receive(configs, payload.seq, payload.changes ?? []);
    }
    seq = Math.max(seq, payload.seq);
  };

  const connectLoop = async () => {
    const { initial, max } = options.backoffMs ?? { initial: 500, max: 30_000 };
    let attempt = 0;
    while (!stopped) {
      abort = new AbortController();
      try {
        const headers: Record<string, string> = { accept: "text/event-stream", authorization };
        if (started) headers["last-event-id"] = String(seq);
        const response = await doFetch(`${base}/api/v1/stream?${query()}`, { headers, signal: abort.signal });
        if (!response.ok || !response.body) {
          const text = await response.text().catch(() => "");
          const error = new Error(`the stream answered HTTP ${response.status}: ${text.slice(0, 300)}`);
          // Wrong credentials or no permission will not fix themselves: fail the start.
          if (!started && (response.status === 401 || response.status === 403)) return firstConfig?.reject(error);
          throw error;
        }
        attempt = 0;
        for await (const message of readSse(response.body)) handle(message.event, message.data);
        if (!stopped) warn("the stream ended; reconnecting");
      } catch (error) {
        if (stopped) return;
        warn(`stream failed (${(error as Error).message}); reconnecting`);
      }
      attempt += 1;
      const delay = Math.random() * Math.min(max, initial * 2 ** attempt); // full jitter
      await new Promise((r) => setTimeout(r, delay));
    }
  };

  const sendHeartbeat = async () => {
    try {
      const response = await doFetch(`${base}/api/v1/workers/${encodeURIComponent(options.workerId)}/heartbeat`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization },
        body: JSON.stringify({
          environment: options.environment,
          applied: state.all().map((a) => ({
            strategy: a.strategy,
            config_version_id: a.config_version_id,
            resolved_hash: a.resolved_hash,
            applied_at: a.applied_at,
          })),
          last_seq: seq,
          pending_restart: state.all().flatMap((a) => a.pending_restart.map((k) => `${a.strategy}:${k}`)),
        }),
      });
      if (!response.ok) warn(`heartbeat answered HTTP ${response.status}`);
    } catch (error) {
      warn(`heartbeat failed: ${(error as Error).message}`);
    }
  };

  return {
    async start() {
      const first = new Promise<void>((resolve, reject) => {
        firstConfig = { resolve, reject };
      });
      void connectLoop();
      await first;
      await sendHeartbeat();
      heartbeat = setInterval(() => void sendHeartbeat(), options.heartbeatMs ?? 10_000);
    },
    current(strategy) {
      const found = state.get(strategy);
      if (!found) throw new Error(`no configuration for ${strategy} (subscribed: ${options.strategies.join(", ")})`);
      return found;
    },
    boundary() {
      const changed = state.boundary();
      for (const applied of changed) for (const listener of listeners) listener(applied);
      if (changed.length > 0) void sendHeartbeat();
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
    onApplied(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    tag(record, strategy = options.strategies[0] as string) {
      const applied = state.get(strategy);
      return {
        ...record,
        config_version_id: applied?.config_version_id ?? null,
        resolved_hash: applied?.resolved_hash ?? null,
      };
    },
    get seq() {
      return seq;
    },
    async stop() {
      stopped = true;
      if (heartbeat) clearInterval(heartbeat);
      abort?.abort();
    },
  };
}
