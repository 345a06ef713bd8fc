/**
 * @module One Server-Sent Events subscriber: a `snapshot` of the resolved configs (or, with
 * Last-Event-ID, a replay of the events it missed), then a `change` per event, `id:` = seq.
 * Live events that arrive while the snapshot or replay is written are queued, then sent in
 * order. A change carries the configs as resolved when it is sent (so a replay converges on what is
 * in force now), and the version and hash the change itself produced. A subscriber that cannot keep up (more than the buffer limit unsent) is disconnected; it
 * resumes with Last-Event-ID and loses nothing.
 */
import type { ServerResponse } from "node:http";
import type { ResolvedConfig } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { type ChangeFeed, type ConfigEvent, eventsAfter, headSeq, oldestSeq } from "./feed.js";

export const HEARTBEAT_MS = 15_000;
export const BUFFER_LIMIT_BYTES = 1024 * 1024;

export interface StreamScope {
  environment: string;
  /** null: every strategy with an active version in the environment */
  strategies: readonly string[] | null;
}

export interface StreamDeps {
  db: Queryable;
  feed: ChangeFeed;
  /** Resolved configs, shared by all subscribers (cached per seq). */
  resolve(strategy: string, environment: string, seq: number): Promise<ResolvedConfig | null>;
  onOpen?(environment: string): void;
  onClose?(environment: string): void;
}

const relevant = (event: ConfigEvent, scope: StreamScope) =>
  (event.environment === null || event.environment === scope.environment) &&
  (event.strategy === null || scope.strategies === null || scope.strategies.includes(event.strategy));

async function strategiesOf(q: Queryable, scope: StreamScope, event?: ConfigEvent): Promise<string[]> {
  if (event?.strategy) return [event.strategy];
  if (scope.strategies) return [...scope.strategies];
  const { rows } = await q.query<{ strategy_name: string }>(
    "SELECT strategy_name FROM activations WHERE environment = $1 AND ended_at IS NULL ORDER BY strategy_name",
    [scope.environment],
  );
  return rows.map((r) => r.strategy_name);
}

const frame = (event: string, id: number, data: unknown) =>
  `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;

export async function serveStream(
  res: ServerResponse,
  scope: StreamScope,
  lastEventId: number | undefined,
  deps: StreamDeps,
) {
  let open = true;
  let live = false;
  let sentSeq = 0;
  const queue: ConfigEvent[] = [];
  const write = (text: string) => {
    if (!open) return;
    res.write(text);
    if (res.writableLength > BUFFER_LIMIT_BYTES) close(); // too slow: it resumes from Last-Event-ID
  };
  const configsFor = async (seq: number, event?: ConfigEvent) =>
    Promise.all(
      (await strategiesOf(deps.db, scope, event)).map(async (strategy) => ({
        strategy,
        resolved: await deps.resolve(strategy, scope.environment, seq),
      })),
    );
  const sendChange = async (event: ConfigEvent) => {
    const configs = await configsFor(event.seq, event);
    write(
      frame("change", event.seq, {
        seq: event.seq,
        at: event.at,
        kind: event.kind,
        environment: scope.environment,
        strategy: event.strategy,
        // What this change made active (for a strategy's own event); `configs` are resolved when sent.
        config_id: event.config_id,
        resolved_hash: event.resolved_hash,
        changes: event.changes,
        configs: configs.map(({ strategy, resolved }) => ({
          strategy,
          config_version_id: resolved?.config_version_id ?? null,
          resolved_hash: resolved?.resolved_hash ?? null,
          values: resolved?.values ?? null,
        })),
      }),
    );
    sentSeq = event.seq;
  };

  // Sending is serialised: events go out one at a time, in seq order.
  let sending = Promise.resolve();
  const enqueue = (event: ConfigEvent) => {
    sending = sending.then(() => (open && event.seq > sentSeq ? sendChange(event) : undefined)).catch(() => close());
  };
  const unsubscribe = deps.feed.subscribe((event) => {
    if (!relevant(event, scope)) return;
    if (live) enqueue(event);
    else queue.push(event);
  });
  const heartbeat = setInterval(() => write(": heartbeat\n\n"), HEARTBEAT_MS);
  heartbeat.unref();
  const close = () => {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    unsubscribe();
    deps.onClose?.(scope.environment);
    res.end();
  };
  res.on("close", close);
  deps.onOpen?.(scope.environment);

  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  write("retry: 1000\n\n");
  try {
    const resumable = lastEventId !== undefined && lastEventId + 1 >= (await oldestSeq(deps.db));
    if (resumable) {
      sentSeq = lastEventId;
      for (;;) {
        const missed = await eventsAfter(deps.db, sentSeq);
        for (const event of missed) {
          if (relevant(event, scope)) await sendChange(event);
          else sentSeq = event.seq;
        }
        if (missed.length < 1000) break;
      }
    } else {
      const seq = await headSeq(deps.db);
      const configs = await configsFor(seq);
      write(
        frame("snapshot", seq, {
          seq,
          environment: scope.environment,
          configs: configs.map(({ strategy, resolved }) => ({
            strategy,
            config_version_id: resolved?.config_version_id ?? null,
            resolved_hash: resolved?.resolved_hash ?? null,
            values: resolved?.values ?? null,
          })),
        }),
      );
      sentSeq = seq;
    }
    live = true;
    for (const event of queue.splice(0)) enqueue(event);
  } catch {
    close();
  }
}
