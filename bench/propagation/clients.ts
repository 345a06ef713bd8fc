/**
 * @module A client process of the propagation benchmark: many simulated workers, each a real
 * `createConfigSubscriber` (its own SSE stream, heartbeats) that calls `boundary()` as soon as a
 * change is pending; or, for the floor, as many bare SSE readers (fetch + a minimal parser).
 * Records, per activation, when each worker's boundary applied the expected version.
 */
import { type ConfigSubscriber, createConfigSubscriber } from "@tradai/client";
import { type Storm, startStorm } from "../../test-support/sse-storm.js";
import { now, sendNote, serveRequests } from "./rpc.js";

interface Worker {
  subscriber: ConfigSubscriber;
  /** The activation whose change frame this worker's stream delivered last. */
  receivedIndex?: number;
}

interface PlatformConnect {
  url: string;
  token: string;
  environment: string;
  strategy: string;
  count: number;
  idPrefix: string;
  /** The version every worker must start on. */
  initialVersion: string;
  /**
   * false (a diagnostic, not the library's behaviour): once every worker started, the heartbeat
   * the library sends after each applied boundary is answered here (204) instead of sent.
   */
  heartbeats: boolean;
  /**
   * false (the baseline of the session-history target): the workers record no history. Their
   * heartbeats go without `applies` and the explicit session opening is answered here.
   */
  history: boolean;
}

const START_CONCURRENCY = 32;
const START_TIMEOUT_MS = 120_000;
/** A slow sweep that catches a pending change the stream hook missed (counted, should stay 0). */
const SWEEP_MS = 50;

let workers: Worker[] = [];
/** Workers that started on the expected version (the ones every activation must reach). */
let started = 0;
let expectation: { index: number; version: string } | undefined;
const applied = new Map<number, number[]>();
/** When each worker's stream delivered the change frame (before the library parsed it), per activation. */
const received = new Map<number, number[]>();
const CHANGE_FRAME = new TextEncoder().encode("event: change");
const isChangeFrame = (chunk: Uint8Array) => CHANGE_FRAME.every((byte, i) => chunk[i] === byte);
const warnings = new Map<string, number>();
const unexpected: string[] = [];
let caughtBySweep = 0;
let changeChunkBytes = 0;
let answerHeartbeatsHere = false;
let recordHistory = true;

const warn = (message: string) => {
  const key = message.replace(/\d+/g, "N").slice(0, 200);
  warnings.set(key, (warnings.get(key) ?? 0) + 1);
};

function record(version: string | null, at: number): void {
  if (!expectation || version !== expectation.version) {
    if (unexpected.length < 20) unexpected.push(`${version} while expecting ${JSON.stringify(expectation)}`);
    return;
  }
  const list = applied.get(expectation.index) ?? [];
  list.push(at);
  applied.set(expectation.index, list);
  if (list.length === started) sendNote({ note: "applied", index: expectation.index, count: list.length });
}

/**
 * The worker's safe point, reached as soon as a change is pending. The time is taken by an
 * onApplied listener (see connectPlatform): the library calls listeners before it sends the
 * heartbeat that reports the change. @returns whether a change was pending
 */
function boundaryIfPending(worker: Worker): boolean {
  if (!worker.subscriber.hasPending) return false;
  worker.subscriber.boundary();
  return true;
}

/**
 * fetch for one subscriber: the stream's body is the library's own, but each read that returns
 * a chunk is timed (receipt of a change frame) and schedules the worker's check for a pending
 * change; setImmediate runs it after the library's reader has handled the chunk (microtasks first).
 */
function hookedFetch(worker: () => Worker): typeof fetch {
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (answerHeartbeatsHere && url.includes("/heartbeat")) return new Response(null, { status: 204 });
    if (!recordHistory && url.endsWith("/sessions")) {
      return Response.json({ sessions: [] }, { status: 201 });
    }
    if (url.includes("/heartbeat") && typeof init?.body === "string") {
      // Both ways read and rewrite the report, so that only what is sent differs.
      const report = JSON.parse(init.body) as { applies?: unknown };
      if (!recordHistory) delete report.applies;
      init = { ...init, body: JSON.stringify(report) };
    }
    const response = await fetch(input, init);
    if (!url.includes("/api/v1/stream") || !response.ok || !response.body) return response;
    const body = response.body;
    const getReader = body.getReader.bind(body);
    body.getReader = (() => {
      const reader = getReader();
      const read = reader.read.bind(reader);
      reader.read = async () => {
        const result = await read();
        if (result.value) onChunk(worker(), result.value);
        return result;
      };
      return reader;
    }) as typeof body.getReader;
    return response;
  };
}

function onChunk(w: Worker, chunk: Uint8Array): void {
  if (expectation && w.receivedIndex !== expectation.index && isChangeFrame(chunk)) {
    w.receivedIndex = expectation.index;
    received.get(expectation.index)?.push(now());
    changeChunkBytes = Math.max(changeChunkBytes, chunk.byteLength);
  }
  setImmediate(boundaryIfPending, w);
}

async function connectPlatform(args: PlatformConnect) {
  workers = [];
  applied.clear();
  received.clear();
  expectation = undefined;
  answerHeartbeatsHere = false;
  recordHistory = args.history;
  let next = 0;
  let connected = 0;
  const failures: string[] = [];
  const progress = setInterval(() => sendNote({ note: "connected", count: connected }), 500);
  const startOne = async () => {
    while (next < args.count) {
      const i = next++;
      const worker = {} as Worker;
      worker.subscriber = createConfigSubscriber({
        url: args.url,
        credentials: { token: args.token },
        environment: args.environment,
        strategies: [args.strategy],
        workerId: `${args.idPrefix}-${i}`,
        heartbeatMs: 600_000,
        backoffMs: { initial: 500, max: 5000 },
        // Thousands of simulated workers on one disk: the copy each would keep is left out.
        lastKnownGood: null,
        fetch: hookedFetch(() => worker),
        warn,
      });
      worker.subscriber.onApplied((config) => record(config.config_version_id, now()));
      workers.push(worker);
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          worker.subscriber.start(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`not started within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
          }),
        ]);
        const version = worker.subscriber.current(args.strategy).config_version_id;
        if (version !== args.initialVersion) throw new Error(`started on ${version}, expected ${args.initialVersion}`);
        connected++;
      } catch (error) {
        if (failures.length < 20) failures.push((error as Error).message);
        else failures.push("");
      } finally {
        clearTimeout(timer);
      }
    }
  };
  await Promise.all(Array.from({ length: START_CONCURRENCY }, startOne));
  clearInterval(progress);
  sendNote({ note: "connected", count: connected });
  started = connected;
  answerHeartbeatsHere = !args.heartbeats;
  return { connected, failed: failures.length, failures: failures.filter(Boolean) };
}

let sweep: NodeJS.Timeout | undefined;
let progress: NodeJS.Timeout | undefined;

function expect(args: { index: number; version: string }) {
  expectation = args;
  applied.set(args.index, []);
  received.set(args.index, []);
  clearInterval(sweep);
  clearInterval(progress);
  sweep = setInterval(() => {
    for (const worker of workers) if (boundaryIfPending(worker)) caughtBySweep++;
  }, SWEEP_MS);
  progress = setInterval(() => {
    sendNote({ note: "applied", index: args.index, count: applied.get(args.index)?.length ?? 0 });
  }, 250);
  return true;
}

async function stopPlatform() {
  clearInterval(sweep);
  clearInterval(progress);
  const result = {
    applied: Object.fromEntries(applied),
    received: Object.fromEntries(received),
    caught_by_sweep: caughtBySweep,
    unexpected: [...unexpected],
    warnings: Object.fromEntries(warnings),
    change_chunk_bytes: changeChunkBytes,
  };
  await Promise.all(workers.map((w) => w.subscriber.stop()));
  workers = [];
  applied.clear();
  received.clear();
  warnings.clear();
  unexpected.length = 0;
  caughtBySweep = 0;
  expectation = undefined;
  return result;
}

// The floor: bare SSE readers, the same fetch, a minimal parser; latency = receipt - the time in the event.
let floorAbort: AbortController | undefined;
const floorLatencies = new Map<number, number[]>();
const floorErrors: string[] = [];
let floorCount = 0;

async function readFloor(url: string, signal: AbortSignal, onOpen: () => void) {
  const response = await fetch(url, { headers: { accept: "text/event-stream" }, signal });
  if (!response.ok || !response.body) throw new Error(`floor stream answered HTTP ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let opened = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const at = now();
    if (!opened) {
      opened = true;
      onOpen();
    }
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const data = buffer
        .slice(0, end)
        .split("\n")
        .find((line) => line.startsWith("data: "));
      buffer = buffer.slice(end + 2);
      if (data) {
        const event = JSON.parse(data.slice(6)) as { i: number; t: number };
        const list = floorLatencies.get(event.i) ?? [];
        list.push(at - event.t);
        floorLatencies.set(event.i, list);
        if (list.length === floorCount) sendNote({ note: "received", index: event.i, count: list.length });
      }
      end = buffer.indexOf("\n\n");
    }
  }
}

async function connectFloor(args: { url: string; count: number }) {
  floorAbort = new AbortController();
  floorLatencies.clear();
  floorErrors.length = 0;
  floorCount = args.count;
  let connected = 0;
  const signal = floorAbort.signal;
  const progress = setInterval(() => sendNote({ note: "connected", count: connected }), 500);
  let next = 0;
  const startOne = async () => {
    while (next < args.count) {
      next++;
      await new Promise<void>((opened) => {
        readFloor(args.url, signal, () => {
          connected++;
          opened();
        }).catch((error) => {
          if (!signal.aborted && floorErrors.length < 20) floorErrors.push((error as Error).message);
          opened();
        });
      });
    }
  };
  await Promise.all(Array.from({ length: START_CONCURRENCY }, startOne));
  clearInterval(progress);
  sendNote({ note: "connected", count: connected });
  floorCount = connected;
  return { connected, failed: args.count - connected, failures: [...floorErrors] };
}

function floorProgress(args: { index: number }) {
  return floorLatencies.get(args.index)?.length ?? 0;
}

function stopFloor() {
  floorAbort?.abort();
  const result = { latencies: Object.fromEntries(floorLatencies), errors: [...floorErrors] };
  floorLatencies.clear();
  return result;
}

// Light readers (issue 20, item 0): the platform's own stream, read with fetch and a minimal parser
// that only timestamps each change frame by its id: delivery, without the library's parse, hash
// check and apply (which the simulated fleet pays on these same 2 cores).
let lightAbort: AbortController | undefined;
const lightReceipts = new Map<number, number[]>();
const lightErrors: string[] = [];
let lightCount = 0;

async function readLight(url: string, token: string, signal: AbortSignal, onOpen: () => void) {
  const response = await fetch(url, {
    headers: { accept: "text/event-stream", authorization: `Bearer ${token}` },
    signal,
  });
  if (!response.ok || !response.body) throw new Error(`light stream answered HTTP ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let opened = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const at = now();
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!opened && frame.startsWith("event: snapshot")) {
        opened = true;
        onOpen();
      } else if (frame.startsWith("event: change")) {
        const seq = Number(/\nid: (\d+)/.exec(frame)?.[1]);
        const list = lightReceipts.get(seq) ?? [];
        list.push(at);
        lightReceipts.set(seq, list);
        if (list.length === lightCount) sendNote({ note: "light", seq, count: list.length });
      }
      end = buffer.indexOf("\n\n");
    }
  }
}

async function connectLight(args: {
  url: string;
  token: string;
  environment: string;
  strategy: string;
  count: number;
}) {
  lightAbort = new AbortController();
  lightReceipts.clear();
  lightErrors.length = 0;
  lightCount = args.count;
  let connected = 0;
  const signal = lightAbort.signal;
  const url = `${args.url}/api/v1/stream?environment=${args.environment}&strategy=${encodeURIComponent(args.strategy)}`;
  let next = 0;
  const startOne = async () => {
    while (next < args.count) {
      next++;
      await new Promise<void>((opened) => {
        readLight(url, args.token, signal, () => {
          connected++;
          opened();
        }).catch((error) => {
          if (!signal.aborted && lightErrors.length < 20) lightErrors.push((error as Error).message);
          opened();
        });
      });
    }
  };
  await Promise.all(Array.from({ length: START_CONCURRENCY }, startOne));
  lightCount = connected;
  return { connected, failed: args.count - connected, failures: [...lightErrors] };
}

function stopLight() {
  lightAbort?.abort();
  const result = { receipts: Object.fromEntries(lightReceipts), errors: [...lightErrors] };
  lightReceipts.clear();
  return result;
}

/** Storm clients (storm-phase.ts): change-stream readers that resume with Last-Event-ID and fail over to the next replica. */
let storm: Storm | undefined;

function stormStart(args: { urls: string[]; token: string; environment: string; count: number }) {
  storm?.stop();
  storm = startStorm(args.urls, `Bearer ${args.token}`, args.count, args.environment);
}

/** How many clients were admitted `times` times, received `seq`, and the changes of any that skipped or repeated one of `expected`. */
function stormState(args: { times: number; seq?: number; expected?: number[] }) {
  const clients = storm?.clients ?? [];
  const wrong = args.expected
    ? clients.filter((c) => {
        const seen = c.changes.filter((s) => (args.expected as number[]).includes(s));
        return seen.join() !== (args.expected as number[]).join();
      })
    : [];
  return {
    admitted: clients.filter((c) => c.admitted.length >= args.times).length,
    received: args.seq === undefined ? 0 : clients.filter((c) => c.changes.includes(args.seq as number)).length,
    last_admitted: Math.max(0, ...clients.map((c) => c.admitted[args.times - 1] ?? 0)) + performance.timeOrigin,
    wrong: wrong.length,
    wrong_examples: wrong.slice(0, 3).map((c) => c.changes),
    refusals: clients
      .flatMap((c) => c.refusals)
      .reduce<Record<string, number>>((t, r) => {
        t[r] = (t[r] ?? 0) + 1;
        return t;
      }, {}),
  };
}

serveRequests({
  stormStart,
  stormState,
  stormStop: () => storm?.stop(),
  clock: () => now(),
  connectPlatform,
  expect,
  stopPlatform,
  connectFloor,
  floorProgress,
  stopFloor,
  connectLight,
  stopLight,
});
