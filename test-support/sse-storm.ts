/**
 * @module Many change-stream clients at once, for the fault suite and bench:faults: each opens
 * GET /api/v1/stream, reads its frames, and when the stream ends or fails reconnects with
 * Last-Event-ID, as an EventSource does: after a random wait below the stream's `retry:` (full
 * jitter, as the libraries do), or 100-300 ms before it has one. Records when each was admitted (its snapshot or
 * first frame) and every change seq it received. Given several URLs (replicas behind a Service), a
 * client whose connection failed tries the next one.
 */

export interface StormClient {
  /** Change seqs received, in order, across reconnections. */
  changes: number[];
  /** When (performance.now()) each connection was admitted (answered 200 and fed its first frame). */
  admitted: number[];
  /** Answers other than 200 (status or error code), in order. */
  refusals: string[];
}

export interface Storm {
  clients: StormClient[];
  /** Resolves when every client has been admitted at least `times` times. */
  admittedAll(times: number, timeoutMs?: number): Promise<void>;
  /** Resolves when every client has received the change `seq`. */
  receivedAll(seq: number, timeoutMs?: number): Promise<void>;
  stop(): void;
}

export function startStorm(
  urls: string | readonly string[],
  authorization: string,
  count: number,
  environment = "dev",
): Storm {
  const replicas = typeof urls === "string" ? [urls] : urls;
  // One controller per client: a thousand fetches on one signal would each add a listener to it.
  const controllers: AbortController[] = [];
  let stopped = false;
  const clients: StormClient[] = [];
  const wake = new Set<() => void>();
  const poke = () => {
    for (const w of wake) w();
  };

  const run = async (client: StormClient, controller: AbortController, first: number) => {
    let lastId: string | undefined;
    let retryMs: number | undefined;
    let at = first;
    while (!stopped) {
      const url = replicas[at % replicas.length];
      try {
        const response = await fetch(`${url}/api/v1/stream?environment=${environment}`, {
          headers: {
            accept: "text/event-stream",
            authorization,
            ...(lastId !== undefined ? { "last-event-id": lastId } : {}),
          },
          signal: controller.signal,
        });
        if (response.status !== 200 || !response.body) {
          client.refusals.push(String(response.status));
          await response.body?.cancel();
        } else {
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = "";
          let first = true;
          for (;;) {
            const chunk = await reader.read();
            if (chunk.done) break;
            buffer += chunk.value;
            let end = buffer.indexOf("\n\n");
            while (end >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const fields = new Map(
                block
                  .split("\n")
                  .filter((l) => l && !l.startsWith(":"))
                  .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trimStart()] as const),
              );
              const retry = fields.get("retry");
              if (retry !== undefined && /^\d+$/.test(retry)) retryMs = Number(retry);
              const id = fields.get("id");
              if (id !== undefined) lastId = id;
              const event = fields.get("event");
              if (event === "snapshot" || event === "change") {
                if (first) {
                  client.admitted.push(performance.now());
                  first = false;
                }
                if (event === "change" && id !== undefined) client.changes.push(Number(id));
                poke();
              }
              end = buffer.indexOf("\n\n");
            }
          }
        }
      } catch (error) {
        if (stopped) return;
        client.refusals.push((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name);
        at += 1;
      }
      await new Promise((r) =>
        setTimeout(r, retryMs === undefined ? 100 + Math.random() * 200 : Math.random() * retryMs),
      );
    }
  };

  for (let i = 0; i < count; i++) {
    const client: StormClient = { changes: [], admitted: [], refusals: [] };
    const controller = new AbortController();
    clients.push(client);
    controllers.push(controller);
    void run(client, controller, 0);
  }

  const until = (done: () => boolean, what: string, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        wake.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        wake.delete(check);
        reject(new Error(`storm: not every client ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      wake.add(check);
      check();
    });

  return {
    clients,
    admittedAll: (times, timeoutMs = 60_000) =>
      until(() => clients.every((c) => c.admitted.length >= times), `admitted ${times} time(s)`, timeoutMs),
    receivedAll: (seq, timeoutMs = 60_000) =>
      until(() => clients.every((c) => c.changes.includes(seq)), `received change ${seq}`, timeoutMs),
    stop: () => {
      stopped = true;
      for (const c of controllers) c.abort();
    },
  };
}
