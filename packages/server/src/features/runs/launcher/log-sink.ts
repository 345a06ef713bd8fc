/** @module Batches a run's log lines into the database (a few inserts a second, not one per line). */
import type { RunStore } from "../store.js";
import type { LogLine } from "./worker-process.js";

const MAX_LINES_PER_RUN = 20_000;

export function logSink(store: RunStore, jobId: string, onError: (error: unknown) => void) {
  let buffer: LogLine[] = [];
  let nextLineNo = 1;
  let dropped = 0;
  let flushing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    const batch = buffer;
    buffer = [];
    if (batch.length === 0) return flushing;
    const first = nextLineNo;
    nextLineNo += batch.length;
    flushing = flushing.then(() => store.appendLogs(jobId, batch, first)).catch(onError);
    return flushing;
  }
  const timer = setInterval(flush, 250);
  timer.unref();

  return {
    write(line: LogLine) {
      if (nextLineNo + buffer.length > MAX_LINES_PER_RUN) {
        dropped++;
        return;
      }
      buffer.push(line);
      if (buffer.length >= 500) void flush();
    },
    async close(): Promise<void> {
      clearInterval(timer);
      if (dropped > 0)
        buffer.push({ stream: "launcher", line: `(${dropped} more lines not kept: limit ${MAX_LINES_PER_RUN})` });
      await flush();
    },
  };
}
