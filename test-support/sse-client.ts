/** @module A minimal Server-Sent Events reader over fetch, for tests: collects frames, waits for one. */

export interface SseFrame {
  event: string;
  id: string | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary event payloads
  data: any;
}

export interface SseStream {
  status: number;
  frames: SseFrame[];
  /** Resolves with the first frame (from the start) matching, or fails after timeoutMs. */
  waitFor(match: (frame: SseFrame) => boolean, what: string, timeoutMs?: number): Promise<SseFrame>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: "text/event-stream", ...headers },
    signal: controller.signal,
  });
  const frames: SseFrame[] = [];
  const waiters = new Set<() => void>();
  if (response.ok && response.body) {
    void (async () => {
      const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      try {
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) break;
          buffer += chunk.value;
          let end = buffer.indexOf("\n\n");
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields = Object.fromEntries(
              block
                .split("\n")
                .filter((line) => line && !line.startsWith(":"))
                .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trimStart()]),
            );
            if (fields.data !== undefined) {
              frames.push({ event: fields.event ?? "message", id: fields.id, data: JSON.parse(fields.data) });
              for (const wake of waiters) wake();
            }
            end = buffer.indexOf("\n\n");
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }
  return {
    status: response.status,
    frames,
    waitFor(match, what, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = frames.find(match);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(frames.map((f) => [f.event, f.id]))}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => controller.abort(),
  };
}
