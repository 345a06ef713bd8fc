/**
 * @module Delivery by light readers (issue 20, item 0): the platform's real stream, read by clients
 * that only timestamp each change frame (clients.ts, connectLight). Against the library workers'
 * figures of the platform phase, it separates what the server and the network take from what the
 * simulated fleet's own work (parse, hash check, apply, on the same 2 cores) adds.
 */
import { round } from "../lib/harness.js";
import { type Bench, ENVIRONMENT, shares, sleep, sum, twoVersions, waitFor } from "./context.js";
import { ACTIVATIONS, activate, SPACING_MS } from "./platform-phase.js";
import { cpuMeter, rssKiB } from "./proc.js";
import { type Replica, startReplica } from "./replicas.js";
import { now } from "./rpc.js";
import { perConnectionKiB, settledMemory } from "./settled-memory.js";
import { summarise } from "./stats.js";

const RECEIVE_TIMEOUT_MS = 30_000;
const IDLE_MS = 3000;

export async function lightRun(b: Bench, replicaCount: number, k: number) {
  const label = `light readers, ${replicaCount} replica(s), ${k} readers`;
  b.log(`${label}: starting ${replicaCount} x tradai serve`);
  const replicas: Replica[] = [];
  try {
    for (let i = 0; i < replicaCount; i++) replicas.push(await startReplica(b.replicaEnv));
    const url = (replicas[0] as Replica).url;
    const strategy = `BenchLight_r${replicaCount}_k${k}`;
    const [first, second] = await twoVersions(url, b, strategy);
    const share = shares(k, b.clients.length);
    const rssBefore = replicas.map((r) => rssKiB(r.pid));
    const settledBefore = await Promise.all(replicas.map((r) => settledMemory(r.pid)));
    const results = await Promise.all(
      b.clients.map((c, j) =>
        c.call<{ connected: number; failed: number; failures: string[] }>("connectLight", {
          url: replicas[j % replicas.length]?.url,
          token: b.workerToken,
          environment: ENVIRONMENT,
          strategy,
          count: share[j],
        }),
      ),
    );
    const connected = sum(results.map((r) => r.connected));
    b.log(`${label}: ${connected}/${k} connected; idle ${IDLE_MS / 1000} s`);
    // A stream alone (no heartbeat connection beside it, as a library worker has): the replica's memory per idle stream.
    await sleep(IDLE_MS);
    const rssAfter = replicas.map((r) => rssKiB(r.pid));
    const settledAfter = await Promise.all(replicas.map((r) => settledMemory(r.pid)));
    const counts = b.clients.map(() => new Map<number, number>());
    const off = b.clients.map((c, j) =>
      c.onNote((n) => {
        if (n.note === "light") counts[j]?.set(n.seq as number, n.count as number);
      }),
    );
    const meter = cpuMeter({ servers: () => replicas.map((r) => r.pid), clients: () => b.clients.map((c) => c.pid) });
    const activations: { index: number; seq: number; notified: number }[] = [];
    try {
      for (let i = 0; i <= ACTIVATIONS; i++) {
        const a = await activate(b, url, strategy, i % 2 === 0 ? second : first, i);
        const complete = await waitFor(
          () => results.every((r, j) => (counts[j]?.get(a.seq) ?? 0) >= r.connected),
          RECEIVE_TIMEOUT_MS,
        );
        if (!complete) b.log(`${label}: activation ${i} seq ${a.seq} did not reach every reader (TIMED OUT)`);
        activations.push({ index: i, seq: a.seq, notified: a.notified });
        await sleep(a.t0 + SPACING_MS - now());
      }
    } finally {
      for (const f of off) f();
    }
    const cpu = meter();
    const stopped = await Promise.all(
      b.clients.map((c) => c.call<{ receipts: Record<string, number[]>; errors: string[] }>("stopLight")),
    );
    // `expect` (called by activate for the library workers) left its timers: stopPlatform clears them.
    await Promise.all(b.clients.map((c) => c.call("stopPlatform")));
    const measured = activations.filter((a) => a.index > 0);
    const receipts = (seq: number) => stopped.flatMap((s) => s.receipts[seq] ?? []);
    return {
      replicas: replicaCount,
      readers: k,
      connected,
      connect_failures: results.flatMap((r) => r.failures),
      rss_kib: { before: rssBefore, after: rssAfter },
      rss_per_stream_kib: round((sum(rssAfter) - sum(rssBefore)) / Math.max(1, connected), 1),
      settled_per_stream_kib: perConnectionKiB(settledBefore, settledAfter, connected),
      latency_ms: summarise(measured.flatMap((a) => receipts(a.seq).map((t) => t - a.notified))),
      missing: measured.reduce((n, a) => n + connected - receipts(a.seq).length, 0),
      cpu_during_activations: cpu,
      cpu_percent_of_one_core: { servers: cpu.percent_of_one_core.servers, clients: cpu.percent_of_one_core.clients },
      seconds: round(cpu.seconds, 1),
    };
  } finally {
    for (const r of replicas) await r.stop();
  }
}

export type LightResult = Awaited<ReturnType<typeof lightRun>>;
