/**
 * @module Reading Server-Sent Events from a fetch response body (Node and browsers), parsed by
 * `eventsource-parser` to the WHATWG rules: CR, LF and CRLF line ends, a leading BOM, comments,
 * multi-line data, `id:` and `retry:`.
 */
import { createParser } from "eventsource-parser";

export interface SseMessage {
  event: string;
  id: string | undefined;
  data: string;
}

export interface SseOptions {
  signal?: AbortSignal | undefined;
  /** The stream's `retry:` (ms): how long the server asks a client to wait before reconnecting. */
  onRetry?: ((ms: number) => void) | undefined;
}

/** Yields each message of the stream until it ends, or until `signal` aborts (which cancels the body, closing the connection). */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  { signal, onRetry }: SseOptions = {},
): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const cancel = () => void reader.cancel().catch(() => {});
  signal?.addEventListener("abort", cancel, { once: true });
  const decoder = new TextDecoder();
  const ready: SseMessage[] = [];
  // The last event id holds for later events until an `id:` changes it (an empty one clears it).
  let lastId: string | undefined;
  const parser = createParser({
    onEvent: (message) => {
      if (message.id !== undefined) lastId = message.id || undefined;
      ready.push({ event: message.event ?? "message", id: lastId, data: message.data });
    },
    onRetry,
  });
  let endsWithCr = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        // A CR at the very end still waits to see whether an LF follows: none will, it ends its line.
        if (endsWithCr) parser.feed("\n");
      } else {
        const text = decoder.decode(value, { stream: true });
        if (text) endsWithCr = text.endsWith("\r");
        parser.feed(text);
      }
      while (ready.length > 0) yield ready.shift() as SseMessage;
      if (done) return;
    }
  } finally {
    signal?.removeEventListener("abort", cancel);
    reader.releaseLock();
  }
}
