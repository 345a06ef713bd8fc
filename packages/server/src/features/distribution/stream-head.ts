/**
 * @module The head of an event stream. A stream lives for hours, and Node keeps the head it wrote
 * for as long as the response lives; at fleet scale that is memory per subscriber (issue 20:
 * `bench:propagation`, heap after a collection, 1,000 streams). So:
 * - every header goes to writeHead at once: headers set one by one beforehand (setHeader) would
 *   each be kept again, as a [name, value] pair;
 * - the head Node built is kept as one flat string: as built, it is a tree of about 70
 *   concatenated strings for 20 headers (2 KiB).
 */
import type { ServerResponse } from "node:http";

/** Headers set on the reply before the stream took over its socket (Fastify's `reply.getHeaders()`). */
export type CarriedHeaders = Readonly<Record<string, string | number | string[] | undefined>>;

const EVENT_STREAM_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
} as const;

/** Writes the head: the headers the request already has (security headers, request id), then the stream's. */
export function writeEventStreamHead(res: ServerResponse, carried: CarriedHeaders): void {
  res.writeHead(200, { ...carried, ...EVENT_STREAM_HEADERS });
  // `_header` is the head as written (Node reads it only to know it was); the same text, flat.
  const written = res as unknown as { _header?: unknown };
  if (typeof written._header === "string") written._header = Buffer.from(written._header, "latin1").toString("latin1");
}
