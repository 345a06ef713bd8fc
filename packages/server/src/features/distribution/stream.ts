/**
 * @module One Server-Sent Events subscriber: a `snapshot` of the resolved configs (or, with
 * Last-Event-ID, a replay of the events it missed), then a `change` per event, `id:` = seq.
 * Live events that arrive while the snapshot or replay is written are queued, then sent in
 * order. A change carries the configs as resolved when it is sent (so a replay converges on what is
 * in force now), and the version and hash the change itself produced. A subscriber that cannot keep up (more than the buffer limit unsent) is disconnected; it
 * resumes with Last-Event-ID and loses nothing.
 */
import type { ServerResponse } from "node:http";
import type { AssignableWorker, ChangeFrame, ResolvedConfig, SnapshotFrame, StreamConfig } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import type { FanoutTimer } from "./fanout.js";
import { type ChangeFeed, type ConfigEvent, eventsAfter, headSeq, oldestSeq } from "./feed.js";
import { type CarriedHeaders, writeEventStreamHead } from "./stream-head.js";

export const HEARTBEAT_MS = 15_000;

/** Over how long the subscribers of a replica that shuts down spread their reconnects. */
export const GOODBYE_SPREAD_MS = 5_000;

/**
 * The last frame a stream gets when its replica shuts down: reconnect (to another replica, or this
 * one restarted) after a random delay, so a rolling update does not turn into a reconnect storm.
 * `retry:` makes a browser's EventSource wait as long.
 */
export function goodbyeFrame(spreadMs = GOODBYE_SPREAD_MS): string {
  const after = Math.floor(Math.random() * spreadMs);
  return `retry: ${after}\nevent: goodbye\ndata: ${JSON.stringify({ reason: "shutting_down", reconnect_after_ms: after })}\n\n`;
}
export const BUFFER_LIMIT_BYTES = 1024 * 1024;

/** How many workers' post-change reports a replica takes per second without slowing its fan-out. */
export const REPORTS_PER_SECOND = 500;

/**
 * A change frame's report_within_ms: the window the workers spread the report after applying it
 * over, so that a replica's fleet reports at about REPORTS_PER_SECOND. 5 s (the libraries' own
 * default) up to 2,500 streams; at most 60 s.
 */
export function reportWindowMs(streams: number): number {
  return Math.min(60_000, Math.max(5000, Math.round((streams / REPORTS_PER_SECOND) * 1000)));
}

/** How many streams a replica readmits per second without slowing its other answers (bench: the reconnect storm). */
export const READMISSIONS_PER_SECOND = 1000;

/**
 * The `retry:` a stream gets: the window its clients spread their reconnects over when the
 * connection is lost (a replica killed), scaled to the streams this replica holds, so the replica
 * that takes them over readmits about READMISSIONS_PER_SECOND. 1 s up to 1,000 streams; at most 30 s.
 */
export function reconnectWindowMs(streams: number): number {
  return Math.min(30_000, Math.max(1000, Math.round((streams / READMISSIONS_PER_SECOND) * 1000)));
}

export interface StreamScope {
  environment: string;
  /** null: every strategy with an active version in the environment */
  strategies: readonly string[] | null;
  /** The worker that reads (named by the library): a staged rollout may assign it another version. */
  reader?: AssignableWorker | undefined;
}

export interface StreamDeps {
  db: Queryable;
  feed: ChangeFeed;
  /** Resolved configs, shared by all subscribers (cached until an event names them), per cohort. */
  resolve(strategy: string, environment: string, reader?: AssignableWorker): Promise<ResolvedConfig | null>;
  /** Which staged rollouts assign the reader (see RolloutBook.cohortKey): readers alike share frames. */
  cohortKey?(environment: string, reader: AssignableWorker, strategies: readonly string[] | null): Promise<string>;
  /** What the audience may see of a payload (secret references masked for viewers). */
  mask(payload: unknown): Promise<unknown>;
  /** Frames already written, shared by subscribers with the same scope and audience. */
  frames: FrameCache;
  /** Subscribers with the same audience see the same bytes (e.g. "secrets" or "masked"). */
  audience: string;
  /** The report_within_ms of a change frame built now (reportWindowMs of this replica's streams). */
  reportWithinMs?(): number;
  /** The `retry:` to send now (reconnectWindowMs of this replica's streams); sent again with each heartbeat. */
  retryMs?(): number;
  /** Times each change from its hand-out to the last live stream writing it (tradai_stream_fanout_seconds). */
  fanout?: FanoutTimer;
  /** Told of each open stream, with how to end it (the server ends them all when it shuts down). */
  opened?(close: () => void): () => void;
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

const wire = (configs: { strategy: string; resolved: ResolvedConfig | null }[]): StreamConfig[] =>
  configs.map(({ strategy, resolved }) => ({
    strategy,
    config_version_id: resolved?.config_version_id ?? null,
    resolved_hash: resolved?.resolved_hash ?? null,
    values: resolved?.values ?? null,
    warnings: resolved?.warnings ?? [],
  }));

/**
 * Serialised frames by key, bounded; a failed serialisation is not kept. Encoded once: every socket
 * of an audience is handed the same bytes.
 */
export class FrameCache {
  private readonly frames = new Map<string, Promise<Buffer>>();
  constructor(private readonly limit = 5000) {}
  get(key: string, make: () => Promise<Buffer>): Promise<Buffer> {
    let found = this.frames.get(key);
    if (!found) {
      if (this.frames.size >= this.limit) this.frames.clear();
      found = make();
      this.frames.set(key, found);
      found.catch(() => this.frames.delete(key));
    }
    return found;
  }
}

export async function serveStream(
  res: ServerResponse,
  /** Headers the request already has (security headers, request id): the stream's head carries them. */
  head: CarriedHeaders,
  scope: StreamScope,
  lastEventId: number | undefined,
  deps: StreamDeps,
) {
  let open = true;
  let live = false;
  let sentSeq = 0;
  const queue: ConfigEvent[] = [];
  const scopeKey = `${deps.audience}\0${scope.environment}\0${scope.strategies?.join(",") ?? "*"}`;
  const reader = scope.reader;
  /** One serialisation per event, scope, audience and cohort, however many subscribers share them. */
  const frame = async (event: string, id: number, data: () => Promise<unknown>, strategy?: string | null) => {
    const cohort =
      reader && deps.cohortKey
        ? await deps.cohortKey(scope.environment, reader, strategy ? [strategy] : scope.strategies)
        : "";
    return deps.frames.get(`${event}\0${id}\0${scopeKey}\0${cohort}`, async () =>
      Buffer.from(`event: ${event}\nid: ${id}\ndata: ${JSON.stringify(await deps.mask(await data()))}\n\n`),
    );
  };
  const write = (chunk: string | Buffer) => {
    if (!open) return;
    res.write(chunk);
    if (res.writableLength > BUFFER_LIMIT_BYTES) close(); // too slow: it resumes from Last-Event-ID
  };
  const configsFor = async (event?: ConfigEvent) =>
    Promise.all(
      (await strategiesOf(deps.db, scope, event)).map(async (strategy) => ({
        strategy,
        resolved: await deps.resolve(strategy, scope.environment, reader),
      })),
    );
  const sendChange = async (event: ConfigEvent) => {
    write(
      await frame(
        "change",
        event.seq,
        async (): Promise<ChangeFrame> => ({
          seq: event.seq,
          at: event.at,
          kind: event.kind,
          environment: scope.environment,
          strategy: event.strategy,
          // What this change made active (for a strategy's own event); `configs` are resolved when sent.
          config_id: event.config_id,
          resolved_hash: event.resolved_hash,
          changes: event.changes,
          configs: wire(await configsFor(event)),
          ...(deps.reportWithinMs ? { report_within_ms: deps.reportWithinMs() } : {}),
        }),
        event.strategy,
      ),
    );
    sentSeq = event.seq;
  };

  // Sending is serialised: events go out one at a time, in seq order.
  let sending = Promise.resolve();
  const enqueue = (event: ConfigEvent, timed = false) => {
    if (timed) deps.fanout?.begin(event.seq);
    sending = sending
      .then(() => (open && event.seq > sentSeq ? sendChange(event) : undefined))
      .catch(() => close())
      .finally(() => {
        if (timed) deps.fanout?.end(event.seq);
      });
  };
  const unsubscribe = deps.feed.subscribe((event) => {
    if (!relevant(event, scope)) return;
    if (live) enqueue(event, true);
    else queue.push(event);
  });
  const retry = () => `retry: ${deps.retryMs?.() ?? 1000}\n`;
  // The heartbeat carries the current retry: a stream opened when the replica held few keeps up.
  const heartbeat = setInterval(() => write(`${retry()}: heartbeat\n\n`), HEARTBEAT_MS);
  heartbeat.unref();
  const close = () => {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    unsubscribe();
    deps.onClose?.(scope.environment);
    // The connection goes too: a subscriber reconnects with a new request anyway, and a kept-alive
    // idle socket would hold a shutting-down server open.
    res.end(() => res.socket?.end());
  };
  const forget = deps.opened?.(() => {
    if (open) write(goodbyeFrame());
    close();
  });
  res.on("close", () => {
    forget?.();
    close();
  });
  deps.onOpen?.(scope.environment);

  writeEventStreamHead(res, head);
  write(`${retry()}\n`);
  try {
    // Up to the seq this replica has handed out: the resolved configs are current to it (its
    // events have invalidated the cache); later events reach this subscriber through the queue.
    const upTo = deps.feed.seq;
    // Resumed from memory when this replica holds every event since (a reconnect storm after a
    // replica dies costs the database nothing); else from the table.
    const held = lastEventId === undefined ? undefined : deps.feed.recentAfter(lastEventId);
    // A Last-Event-ID the database has not reached (a restored database, another platform) cannot
    // be resumed from: the client gets a snapshot, which resets its seq.
    const resumable =
      held !== undefined ||
      (lastEventId !== undefined &&
        lastEventId + 1 >= (await oldestSeq(deps.db)) &&
        lastEventId <= (await headSeq(deps.db)));
    if (held !== undefined) {
      sentSeq = lastEventId ?? 0;
      for (const event of held) {
        if (relevant(event, scope)) await sendChange(event);
        else sentSeq = event.seq;
      }
    } else if (resumable && lastEventId !== undefined) {
      sentSeq = Math.min(lastEventId, upTo);
      while (sentSeq < upTo) {
        const missed = (await eventsAfter(deps.db, sentSeq)).filter((e) => e.seq <= upTo);
        if (missed.length === 0) break;
        for (const event of missed) {
          if (relevant(event, scope)) await sendChange(event);
          else sentSeq = event.seq;
        }
      }
    } else {
      write(
        await frame(
          "snapshot",
          upTo,
          async (): Promise<SnapshotFrame> => ({
            seq: upTo,
            environment: scope.environment,
            configs: wire(await configsFor()),
          }),
        ),
      );
      sentSeq = upTo;
    }
    live = true;
    for (const event of queue.splice(0)) enqueue(event);
  } catch {
    close();
  }
}
