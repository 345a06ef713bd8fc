/**
 * @module The resolve poll path of the propagation benchmark: GET /api/v1/resolve/{strategy}
 * with a service token, answering 200 (no If-None-Match) and 304 (If-None-Match = the ETag), on
 * one fresh replica without subscribers, against a bare Fastify route that answers the same bytes
 * and headers; the load comes from another process over keep-alive connections. Rounds alternate
 * platform and bare, so each platform round has a bare round next to it in time: the ratio is the
 * median over rounds of platform / bare, which a noisy machine (this one's rounds vary by 2x) moves
 * less than a ratio of medians.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { round } from "../lib/harness.js";
import { type Bench, ENVIRONMENT, twoVersions } from "./context.js";
import { startReplica } from "./replicas.js";
import { Helper } from "./rpc.js";

const HERE = dirname(fileURLToPath(import.meta.url));
export const RESOLVE_REQUESTS = 5000;
export const RESOLVE_CONCURRENCY = 32;
const ROUNDS = 9;
const WARM_UP = 1000;
/** Headers that depend on the connection or the moment, not on the answer. */
const PER_CONNECTION = new Set(["date", "connection", "keep-alive", "content-length", "transfer-encoding"]);

interface LoadResult {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  unexpected_status: Record<string, number>;
}

function keep(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!PER_CONNECTION.has(name)) kept[name] = value;
  });
  return kept;
}

export async function resolveRun(b: Bench) {
  b.log("resolve: starting 1 x tradai serve and the bare route");
  const replica = await startReplica(b.replicaEnv);
  const bare = new Helper("bare-resolve", join(HERE, "bare-resolve.js"));
  const load = new Helper("load", join(HERE, "load.js"));
  try {
    const strategy = "BenchResolve";
    await twoVersions(replica.url, b, strategy);
    const path = `/api/v1/resolve/${strategy}?environment=${ENVIRONMENT}`;
    const authorization = `Bearer ${b.workerToken}`;
    const first = await fetch(replica.url + path, { headers: { authorization } });
    const body = await first.text();
    const etag = first.headers.get("etag");
    if (first.status !== 200 || !etag) throw new Error(`resolve answered HTTP ${first.status} (etag ${etag}): ${body}`);
    const second = await fetch(replica.url + path, { headers: { authorization, "if-none-match": etag } });
    await second.text();
    if (second.status !== 304) throw new Error(`resolve with If-None-Match answered HTTP ${second.status}`);
    const bareUrl = await bare.call<string>("listen", {
      etag,
      body,
      headers200: keep(first.headers),
      headers304: keep(second.headers),
    });
    const check = await fetch(bareUrl + path);
    if ((await check.text()) !== body) throw new Error("the bare route does not answer the same bytes");

    // Both get the same request headers (the bare route ignores the credentials).
    const cases = {
      platform_200: { url: replica.url + path, headers: { authorization }, expect: 200 },
      bare_200: { url: bareUrl + path, headers: { authorization }, expect: 200 },
      platform_304: { url: replica.url + path, headers: { authorization, "if-none-match": etag }, expect: 304 },
      bare_304: { url: bareUrl + path, headers: { authorization, "if-none-match": etag }, expect: 304 },
    };
    const run = (c: (typeof cases)[keyof typeof cases], requests: number) =>
      load.call<LoadResult>("run", { ...c, requests, concurrency: RESOLVE_CONCURRENCY });
    for (const c of Object.values(cases)) await run(c, WARM_UP);
    const rounds: Record<string, LoadResult[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
    for (let r = 1; r <= ROUNDS; r++) {
      for (const [name, c] of Object.entries(cases)) {
        const result = await run(c, RESOLVE_REQUESTS);
        rounds[name]?.push(result);
        b.log(`resolve: ${name} round ${r}: ${result.rps.toFixed(0)} req/s`);
      }
    }
    const median = (name: string) => {
      const list = [...(rounds[name] ?? [])].sort((x, y) => x.rps - y.rps);
      const m = list[Math.floor(list.length / 2)] as LoadResult;
      return { rps: round(m.rps, 0), p50_ms: round(m.p50_ms, 2), p99_ms: round(m.p99_ms, 2) };
    };
    const result = Object.fromEntries(Object.keys(cases).map((name) => [name, median(name)]));
    const ratio = (a: string, z: string) => {
      const paired = (rounds[a] ?? []).map((x, i) => x.rps / (rounds[z]?.[i]?.rps ?? Number.NaN)).sort((x, y) => x - y);
      return round(paired[Math.floor(paired.length / 2)] ?? Number.NaN, 3);
    };
    return {
      requests: RESOLVE_REQUESTS,
      concurrency: RESOLVE_CONCURRENCY,
      rounds: ROUNDS,
      body_bytes: Buffer.byteLength(body),
      authentication: "service token (Bearer tdt_...), role worker, environment dev",
      cases: result,
      all_rounds_rps: Object.fromEntries(Object.entries(rounds).map(([n, l]) => [n, l.map((x) => round(x.rps, 0))])),
      unexpected_status: Object.fromEntries(
        Object.entries(rounds).map(([n, l]) => [n, l.map((x) => x.unexpected_status)]),
      ),
      ratio_200: ratio("platform_200", "bare_200"),
      ratio_304: ratio("platform_304", "bare_304"),
      server_problems: replica.problems().slice(0, 50),
    };
  } finally {
    await Promise.all([bare.stop(), load.stop()]);
    if ((await replica.stop()).killed) b.notes.push("resolve: the replica had not exited 10 s after SIGTERM; killed");
  }
}

export type ResolveResult = Awaited<ReturnType<typeof resolveRun>>;
