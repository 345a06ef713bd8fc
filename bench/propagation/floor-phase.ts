/**
 * @module One floor run of the propagation benchmark: the same client processes against bare
 * `node:http` SSE servers (one per replica the platform run had, clients spread the same way),
 * each writing one pre-built frame to all its clients per event; from the write start (the time
 * carried in the frame) to each client's receipt. Also the bare server's memory per connection.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { round } from "../lib/harness.js";
import { type Bench, shares, sleep, sum, waitFor } from "./context.js";
import { ACTIVATIONS, SPACING_MS } from "./platform-phase.js";
import { cpuMeter, rssKiB } from "./proc.js";
import { Helper, now } from "./rpc.js";
import { PROBE_FLAGS, perConnectionKiB, settledMemory } from "./settled-memory.js";
import { maxOf, perEvent, spread, summarise } from "./stats.js";

const FLOOR_SERVER = join(dirname(fileURLToPath(import.meta.url)), "floor-server.js");
const RECEIVE_TIMEOUT_MS = 30_000;
const IDLE_MS = 3000;

interface Sent {
  t: number;
  clients: number;
  write_loop_ms: number;
  frame_bytes: number;
}

export async function floorRun(b: Bench, serverCount: number, k: number, frameBytes: number) {
  const label = `floor, ${serverCount} server(s), ${k} clients`;
  b.log(`${label}: starting`);
  const servers = Array.from(
    { length: serverCount },
    (_, i) => new Helper(`floor-server-${i}`, FLOOR_SERVER, PROBE_FLAGS),
  );
  try {
    const urls = await Promise.all(servers.map((s) => s.call<string>("listen")));
    await sleep(500);
    const rssBefore = servers.map((s) => rssKiB(s.pid));
    const settledBefore = await Promise.all(servers.map((s) => settledMemory(s.pid)));
    const share = shares(k, b.clients.length);
    const results = await Promise.all(
      b.clients.map((c, j) =>
        c.call<{ connected: number; failed: number; failures: string[] }>("connectFloor", {
          url: `${urls[j % serverCount]}/stream`,
          count: share[j],
        }),
      ),
    );
    const connected = sum(results.map((r) => r.connected));
    b.log(`${label}: ${connected}/${k} connected; idle ${IDLE_MS / 1000} s`);
    await sleep(IDLE_MS);
    const rssAfter = servers.map((s) => rssKiB(s.pid));
    const settledAfter = await Promise.all(servers.map((s) => settledMemory(s.pid)));

    const counts = b.clients.map(() => new Map<number, number>());
    const off = b.clients.map((c, j) =>
      c.onNote((n) => {
        if (n.note === "received") counts[j]?.set(n.index as number, n.count as number);
      }),
    );
    const meter = cpuMeter({ servers: () => servers.map((s) => s.pid), clients: () => b.clients.map((c) => c.pid) });
    const sends: Sent[][] = [];
    try {
      for (let i = 0; i <= ACTIVATIONS; i++) {
        const started = now();
        sends.push(await Promise.all(servers.map((s) => s.call<Sent>("send", { index: i, bytes: frameBytes }))));
        const complete = await waitFor(
          () => results.every((r, j) => (counts[j]?.get(i) ?? 0) >= r.connected),
          RECEIVE_TIMEOUT_MS,
        );
        if (!complete) b.log(`${label}: event ${i} did not reach every client (TIMED OUT)`);
        await sleep(started + SPACING_MS - now());
      }
    } finally {
      for (const f of off) f();
    }
    const cpu = meter();
    const stopped = await Promise.all(
      b.clients.map((c) => c.call<{ latencies: Record<string, number[]>; errors: string[] }>("stopFloor")),
    );
    const of = (i: number) => stopped.flatMap((s) => s.latencies[i] ?? []);
    const measured = Array.from({ length: ACTIVATIONS }, (_, i) => i + 1);
    const all = measured.flatMap(of);
    const result = {
      servers: serverCount,
      clients: k,
      connected,
      connect_failures: results.flatMap((r) => r.failures),
      rss_kib: { before: rssBefore, after: rssAfter },
      rss_per_connection_kib: round((sum(rssAfter) - sum(rssBefore)) / Math.max(1, connected), 1),
      settled_per_connection_kib: perConnectionKiB(settledBefore, settledAfter, connected),
      cpu_during_events: cpu,
      cpu_seconds_per_event: perEvent(cpu, ACTIVATIONS + 1),
      frame_bytes: sends[0]?.[0]?.frame_bytes ?? 0,
      write_loop_ms: spread(sends.slice(1).flatMap((s) => s.map((x) => x.write_loop_ms))),
      latency_ms: summarise(all),
      last_client_ms: spread(measured.map((i) => maxOf(of(i)))),
      missing_receipts: measured.reduce((n, i) => n + connected - of(i).length, 0),
      errors: stopped.flatMap((s) => s.errors),
    };
    b.log(`${label}: p50 ${result.latency_ms.p50_ms} ms, p99 ${result.latency_ms.p99_ms} ms`);
    return result;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

export type FloorResult = Awaited<ReturnType<typeof floorRun>>;
