/**
 * @module GET /api/v1/stream/notices: what changed, in every environment, on one connection, for
 * screens (the console) rather than workers. A `hello` with the feed position, then a `change` per
 * event naming its kind, environment, strategy, version and actor, but no values (so nothing to
 * mask) and no snapshot. A screen that (re)connects reloads what it shows, so nothing is replayed.
 */
import type { ServerResponse } from "node:http";
import type { ChangeFeed, ConfigEvent } from "./feed.js";
import { goodbyeFrame, HEARTBEAT_MS } from "./stream.js";
import { type CarriedHeaders, writeEventStreamHead } from "./stream-head.js";

export interface ChangeNotice {
  seq: number;
  at: string;
  kind: ConfigEvent["kind"];
  environment: string | null;
  strategy: string | null;
  config_id: string | null;
  actor: string;
}

const notice = (e: ConfigEvent): ChangeNotice => ({
  seq: e.seq,
  at: e.at,
  kind: e.kind,
  environment: e.environment,
  strategy: e.strategy,
  config_id: e.config_id,
  actor: e.actor,
});

/**
 * Serves one notice subscriber until it goes away or the server closes it. `environments`: the
 * ones the principal may see (null: all); an event of no environment (catalog) goes to everyone.
 */
export function serveNotices(
  res: ServerResponse,
  /** Headers the request already has (security headers, request id): the stream's head carries them. */
  head: CarriedHeaders,
  feed: ChangeFeed,
  environments: readonly string[] | null,
  opened: (close: () => void) => () => void,
): void {
  const write = (text: string) => res.write(text);
  const unsubscribe = feed.subscribe((event) => {
    if (event.environment && environments && !environments.includes(event.environment)) return;
    write(`event: change\nid: ${event.seq}\ndata: ${JSON.stringify(notice(event))}\n\n`);
  });
  const heartbeat = setInterval(() => write(": heartbeat\n\n"), HEARTBEAT_MS);
  heartbeat.unref();
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    unsubscribe();
    // The connection goes too: a subscriber reconnects with a new request anyway, and a kept-alive
    // idle socket would hold a shutting-down server open.
    res.end(() => res.socket?.end());
  };
  const forget = opened(() => {
    if (open) write(goodbyeFrame());
    close();
  });
  res.on("close", () => {
    forget();
    close();
  });
  writeEventStreamHead(res, head);
  write(`retry: 2000\n\nevent: hello\ndata: ${JSON.stringify({ seq: feed.seq })}\n\n`);
}
