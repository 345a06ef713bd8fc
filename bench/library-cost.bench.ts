/**
 * `npm run bench:library` (issue 20, item 0): what the worker library itself costs per applied
 * change, apart from any server. Subscribers run in this one process against an in-memory stream
 * (the `fetch` option): each change frame is the same bytes for all, as a server sends them; each
 * subscriber parses it, checks its hash, holds it and applies it at `boundary()`; a post-change
 * heartbeat is built and "sent" (answered in memory). CPU is this process's user+system time.
 *
 * Writes bench/results/library-cost.{json,md}: µs of CPU per subscriber per change for a config of
 * 70 parameters (the target: at most 200), and per heartbeat.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createConfigSubscriber } from "@tradai/client";
import { type ChangeFrame, contentHash, type JsonValue, type SnapshotFrame, type StreamConfig } from "@tradai/core";
import { machine, RESULTS_DIR, round } from "./lib/harness.js";

const SUBSCRIBERS = Number(process.env.TRADAI_BENCH_SUBSCRIBERS ?? 500);
const CHANGES = Number(process.env.TRADAI_BENCH_CHANGES ?? 40);
const PARAMETERS = 70;
const STRATEGY = "BenchStrategy";
const ENVIRONMENT = "paper";
const log = (line: string) => process.stderr.write(`[library-cost] ${line}\n`);

/** The key each change changes (a hot one: it applies at the next boundary). */
const CHANGED_KEY = "param_04";

/** 70 parameters of the kinds a Freqtrade strategy has: numbers, integers, strings, flags, a ROI map; one changes per version. */
function valuesOf(version: number): Record<string, JsonValue> {
  const values: Record<string, JsonValue> = {
    minimal_roi: { "0": 0.04, "30": 0.02, "60": 0.01, "120": 0 },
    timeframe: "5m",
    stoploss: -0.1,
  };
  for (let i = Object.keys(values).length; i < PARAMETERS; i++) {
    const kind = i % 4;
    values[`param_${String(i).padStart(2, "0")}`] =
      kind === 0 ? 0.001 * i : kind === 1 ? i * 10 : kind === 2 ? `value-${i}` : i % 8 === 3;
  }
  values[CHANGED_KEY] = 0.5 + version * 1e-4;
  return values;
}

function streamConfig(version: number): StreamConfig {
  const values = valuesOf(version);
  return {
    strategy: STRATEGY,
    config_version_id: `v${version}-bench`,
    resolved_hash: contentHash(values),
    values,
    warnings: [],
  };
}

const encoder = new TextEncoder();
const sse = (event: string, id: number, data: unknown) =>
  encoder.encode(`event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`);

/** An in-memory server for one subscriber: its stream, and the sessions and heartbeat answers. */
function memoryServer() {
  let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
  let onConnect = () => {};
  const connected = new Promise<void>((ready) => {
    onConnect = ready;
  });
  const memory = {
    heartbeats: 0,
    send(bytes: Uint8Array) {
      stream?.enqueue(bytes);
    },
    close() {
      stream?.close();
    },
    connected,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      if (url.includes("/api/v1/stream")) {
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            stream = controller;
            onConnect();
          },
        });
        init?.signal?.addEventListener("abort", () => stream?.error(new Error("aborted")), { once: true });
        return new Response(body, { headers: { "content-type": "text/event-stream" } });
      }
      if (url.endsWith("/sessions")) {
        return Response.json({
          sessions: [{ strategy: STRATEGY, session_id: "bench-session", parameter_set_hash: "0", opened: true }],
        });
      }
      if (url.endsWith("/heartbeat")) {
        memory.heartbeats += 1;
        return Response.json({ ok: true });
      }
      return new Response("not found", { status: 404 });
    }) as typeof fetch,
  };
  return memory;
}

const cpuMicros = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return used.user + used.system;
};

async function main() {
  log(`${SUBSCRIBERS} subscribers in this process, ${CHANGES} changes of a ${PARAMETERS}-parameter config`);
  const servers = Array.from({ length: SUBSCRIBERS }, memoryServer);
  const received: number[] = new Array(SUBSCRIBERS).fill(0);
  const subscribers = servers.map((server, i) => {
    const subscriber = createConfigSubscriber({
      url: "http://bench.invalid",
      credentials: { token: "bench" },
      environment: ENVIRONMENT,
      strategies: [STRATEGY],
      workerId: `bench-${i}`,
      mode: "paper",
      lastKnownGood: null,
      heartbeatMs: 3_600_000,
      fetch: server.fetch,
      warn: (message) => log(`subscriber ${i}: ${message}`),
    });
    subscriber.onReceive((message) => {
      if (message.kind === "change") received[i] = message.seq;
    });
    return subscriber;
  });

  const starts = subscribers.map((s) => s.start());
  await Promise.all(servers.map((s) => s.connected));
  const snapshot: SnapshotFrame = { seq: 1, environment: ENVIRONMENT, configs: [streamConfig(1)] };
  const snapshotBytes = sse("snapshot", 1, snapshot);
  for (const server of servers) server.send(snapshotBytes);
  await Promise.all(starts);
  log("every subscriber started on the snapshot");

  // Warm-up: one change applied everywhere, not counted (JIT, first allocations).
  const applyOne = async (seq: number) => {
    const frame: ChangeFrame = {
      seq,
      at: new Date().toISOString(),
      kind: "activation",
      environment: ENVIRONMENT,
      strategy: STRATEGY,
      config_id: `v${seq}-bench`,
      resolved_hash: null,
      changes: [{ key: CHANGED_KEY, reload: "hot" }],
      configs: [streamConfig(seq)],
    };
    // One serialisation for everyone, as the server writes it.
    const bytes = sse("change", seq, frame);
    for (const server of servers) server.send(bytes);
    while (received.some((r) => r < seq)) await new Promise((r) => setImmediate(r));
    for (const subscriber of subscribers) {
      const [applied] = subscriber.boundary("candle_close");
      if (applied?.config_version_id !== `v${seq}-bench`) throw new Error(`seq ${seq} was not applied`);
    }
  };
  await applyOne(2);

  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let seq = 3; seq < 3 + CHANGES; seq++) await applyOne(seq);
  const applyMicros = cpuMicros(cpu);
  const wallMs = performance.now() - started;
  const perSubscriberChange = applyMicros / (SUBSCRIBERS * CHANGES);
  log(
    `apply path: ${perSubscriberChange.toFixed(1)} µs of CPU per subscriber per change (${(wallMs / 1000).toFixed(1)} s)`,
  );

  // The post-change heartbeats: each subscriber reports within 5 s of an apply, one at a time.
  const before = servers.reduce((n, s) => n + s.heartbeats, 0);
  const heartbeatCpu = process.cpuUsage();
  await new Promise((r) => setTimeout(r, 6_000));
  const heartbeatMicros = cpuMicros(heartbeatCpu);
  const heartbeats = servers.reduce((n, s) => n + s.heartbeats, 0) - before;
  const perHeartbeat = heartbeats > 0 ? heartbeatMicros / heartbeats : Number.NaN;
  log(`heartbeats: ${heartbeats} in 6 s, ${perHeartbeat.toFixed(1)} µs of CPU each (idle time included)`);

  for (const server of servers) server.close();
  await Promise.all(subscribers.map((s) => s.stop()));

  const result = {
    ...machine(),
    subscribers: SUBSCRIBERS,
    changes: CHANGES,
    parameters: PARAMETERS,
    frame_bytes: sse("change", 3, { configs: [streamConfig(3)] }).byteLength,
    apply_us_per_subscriber_per_change: round(perSubscriberChange, 1),
    apply_wall_s: round(wallMs / 1000, 2),
    heartbeats,
    heartbeat_us_each: round(perHeartbeat, 1),
    target_us: 200,
  };
  writeFileSync(join(RESULTS_DIR, "library-cost.json"), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(
    join(RESULTS_DIR, "library-cost.md"),
    `# The worker library's own cost per applied change

${result.date}, Node ${result.node}, ${result.platform}, ${result.cpus} CPUs (${result.cpu_model}). Command: \`npm run bench:library\`
(\`TRADAI_BENCH_SUBSCRIBERS\`, \`TRADAI_BENCH_CHANGES\`).

${SUBSCRIBERS} subscribers of the TypeScript library in one process, each on an in-memory stream (no server, no
socket): every change frame (${result.frame_bytes} bytes, one strategy of ${PARAMETERS} parameters) is handed to all
as the same bytes; each parses it (SSE, JSON), checks its resolved hash, holds it, and applies it at
\`boundary()\`. CPU is the process's user + system time over ${CHANGES} changes after one warm-up.

| figure | measured | target |
|---|---:|---:|
| CPU per subscriber per change: parse, hash check, apply | ${result.apply_us_per_subscriber_per_change} µs | at most 200 µs |
| CPU per post-change heartbeat (built, sent, answered in memory) | ${result.heartbeat_us_each} µs | |

${heartbeats} heartbeats were sent in the 6 s after the last change (each subscriber reports once within 5 s of
applying, at random). The wall time of the ${CHANGES} changes was ${result.apply_wall_s} s.
`,
  );
  log(`wrote ${join(RESULTS_DIR, "library-cost.md")}`);
}

await main();
