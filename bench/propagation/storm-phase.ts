/**
 * @module Reconnect storm (issue 20, item 3): K change-stream clients (test-support/sse-storm.ts,
 * spread over the client processes) on replica A of two; A is killed (SIGKILL) and a change is made
 * through B at once. Every client fails over to B and resumes with Last-Event-ID. Measured: how
 * long until all are back, whether any skipped or repeated an event, the statements B sent its
 * database meanwhile (tradai_database_statements_total), and how B answered health and an API read
 * while the storm lasted.
 */
import { round } from "../lib/harness.js";
import { type Bench, ENVIRONMENT, shares, sleep, sum, twoVersions } from "./context.js";
import { type Replica, startReplica } from "./replicas.js";
import { now } from "./rpc.js";
import { readStatements, statementsBetween } from "./server-histograms.js";
import { summarise } from "./stats.js";

const BACK_TIMEOUT_MS = 120_000;
const PROBE_EVERY_MS = 100;

interface StormState {
  admitted: number;
  received: number;
  last_admitted: number;
  wrong: number;
  wrong_examples: number[][];
  refusals: Record<string, number>;
}

const statements = (url: string) => readStatements([url]);
const diff = statementsBetween;

async function activate(b: Bench, url: string, strategy: string, version: string): Promise<number> {
  const commit = b.commits.expectNext();
  const response = await fetch(`${url}/api/v1/configs/${strategy}/${version}/activate?environment=${ENVIRONMENT}`, {
    method: "POST",
    headers: { authorization: `Bearer ${b.adminToken}`, "content-type": "application/json" },
    body: "{}",
  });
  if (response.status !== 200) throw new Error(`activation answered HTTP ${response.status}: ${await response.text()}`);
  return (await commit).seq;
}

/** Requests `url` every PROBE_EVERY_MS until stopped; each answer's time, and any failure. */
function probe(url: string, token?: string) {
  const times: number[] = [];
  const failures: string[] = [];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const started = now();
      try {
        const response = await fetch(url, {
          headers: token ? { authorization: `Bearer ${token}` } : {},
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        if (response.status !== 200) failures.push(`HTTP ${response.status}`);
      } catch (error) {
        failures.push((error as Error).message);
      }
      times.push(now() - started);
      await sleep(PROBE_EVERY_MS);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      return {
        requests: times.length,
        latency_ms: summarise(times),
        max_ms: round(Math.max(0, ...times), 1),
        failures,
      };
    },
  };
}

export async function stormRun(b: Bench, k: number) {
  const label = `reconnect storm, ${k} clients`;
  b.log(`${label}: starting 2 x tradai serve`);
  const replicas: Replica[] = [];
  try {
    for (let i = 0; i < 2; i++) replicas.push(await startReplica(b.replicaEnv));
    const [a, survivor] = replicas as [Replica, Replica];
    const strategy = `BenchStorm_k${k}`;
    const [first, second] = await twoVersions(survivor.url, b, strategy);
    const share = shares(k, b.clients.length);
    await Promise.all(
      b.clients.map((c, j) =>
        c.call("stormStart", {
          urls: [a.url, survivor.url],
          token: b.workerToken,
          environment: ENVIRONMENT,
          count: share[j],
        }),
      ),
    );
    const state = async (args: { times: number; seq?: number; expected?: number[] }) => {
      const states = await Promise.all(b.clients.map((c) => c.call<StormState>("stormState", args)));
      return {
        admitted: sum(states.map((s) => s.admitted)),
        received: sum(states.map((s) => s.received)),
        last_admitted: Math.max(...states.map((s) => s.last_admitted)),
        wrong: sum(states.map((s) => s.wrong)),
        wrong_examples: states.flatMap((s) => s.wrong_examples).slice(0, 3),
        refusals: states.reduce<Record<string, number>>((t, s) => {
          for (const [r, n] of Object.entries(s.refusals)) t[r] = (t[r] ?? 0) + n;
          return t;
        }, {}),
      };
    };
    const until = async (
      what: string,
      done: (s: Awaited<ReturnType<typeof state>>) => boolean,
      args: Parameters<typeof state>[0],
    ) => {
      const deadline = now() + BACK_TIMEOUT_MS;
      for (;;) {
        const s = await state(args);
        if (done(s)) return s;
        if (now() > deadline) throw new Error(`${label}: ${what} timed out (${JSON.stringify(s)})`);
        await sleep(250);
      }
    };
    await until("connecting", (s) => s.admitted === k, { times: 1 });
    // A change every client receives (made through B, as the one during the storm will be): each
    // client then resumes from its seq. What it cost B's database is taken off the storm's count.
    const beforeChange = await statements(survivor.url);
    const before = await activate(b, survivor.url, strategy, second);
    await until("the first change", (s) => s.received === k, { times: 1, seq: before });
    await sleep(1000);
    const changeCost = diff(await statements(survivor.url), beforeChange);
    // So are the probes': measured for a while before the kill.
    const beforeProbes = await statements(survivor.url);
    let health = probe(`${survivor.url}/api/v1/health/ready`);
    let api = probe(
      `${survivor.url}/api/v1/configs/${strategy}?environment=${ENVIRONMENT}&status=active&limit=1`,
      b.adminToken,
    );
    await sleep(3000);
    const idleProbes = [await health.stop(), await api.stop()];
    const probesCost = diff(await statements(survivor.url), beforeProbes);
    const perProbe = {
      read: probesCost.read / sum(idleProbes.map((p) => p.requests)),
      write: probesCost.write / sum(idleProbes.map((p) => p.requests)),
    };
    b.log(`${label}: all on replica A, at seq ${before}; killing A`);

    const statementsBefore = await statements(survivor.url);
    health = probe(`${survivor.url}/api/v1/health/ready`);
    api = probe(
      `${survivor.url}/api/v1/configs/${strategy}?environment=${ENVIRONMENT}&status=active&limit=1`,
      b.adminToken,
    );
    const killedAt = now();
    await a.kill();
    const during = await activate(b, survivor.url, strategy, first);
    const back = await until("the reconnections", (s) => s.admitted === k && s.received === k, {
      times: 2,
      seq: during,
    });
    const backAfterS = round((back.last_admitted - killedAt) / 1000, 2);
    await sleep(1000);
    const healthTimes = await health.stop();
    const apiTimes = await api.stop();
    const total = diff(await statements(survivor.url), statementsBefore);
    const probes = healthTimes.requests + apiTimes.requests;
    const storm = {
      read: Math.round(total.read - changeCost.read - perProbe.read * probes),
      write: Math.round(total.write - changeCost.write - perProbe.write * probes),
    };
    const checked = await state({ times: 2, seq: during, expected: [before, during] });
    await Promise.all(b.clients.map((c) => c.call("stormStop")));
    b.log(
      `${label}: all back ${backAfterS} s after the kill; the storm's statements on B: ${storm.read} reads, ` +
        `${storm.write} writes; health max ${healthTimes.max_ms} ms, API max ${apiTimes.max_ms} ms`,
    );
    return {
      clients: k,
      back_after_kill_s: backAfterS,
      skipped_or_repeated: checked.wrong,
      skipped_examples: checked.wrong_examples,
      refusals: checked.refusals,
      // The storm's own: B's count over the storm less the change made during it and the probes.
      storm_statements: storm,
      statements_on_survivor: { total, change: changeCost, per_probe_request: perProbe, probe_requests: probes },
      health: healthTimes,
      api_read: apiTimes,
    };
  } finally {
    for (const r of replicas) await r.stop();
  }
}

export type StormResult = Awaited<ReturnType<typeof stormRun>>;
