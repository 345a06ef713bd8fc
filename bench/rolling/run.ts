/**
 * @module A rolling update under load, as Kubernetes does one: replicas of `tradai serve` on one
 * PostgreSQL behind a round-robin proxy (the Service), subscribers (@tradai/client, calling
 * boundary() every 20 ms) connected through it, a change activated every `changeEveryMs` through it.
 * Each replica in turn: a new one starts and joins the pool, the old one leaves it and gets SIGTERM.
 * Measured: what each subscriber applied (a seq twice, or going back, is a fault; each must reach the
 * last change), the API requests that failed, the most new connections one replica got in a second,
 * and after each SIGTERM how long until every subscriber applied a change made after it.
 */
import { createApiClient, createConfigSubscriber } from "@tradai/client";
import pg from "pg";
import { type Backend, backendOf, startProxy } from "./proxy.js";

export interface Replica {
  url: string;
  stop(): Promise<unknown>;
}

export interface RollingOptions {
  databaseUrl: string;
  replicas: number;
  subscribers: number;
  changeEveryMs: number;
  adminPassword: string;
  /** `tradai serve` with these settings (the harness's own way of starting it) */
  startReplica(env: Record<string, string>): Promise<Replica>;
  log(message: string): void;
}

export interface RollingResult {
  replicas: number;
  subscribers: number;
  changes: number;
  api_requests: number;
  api_errors: number;
  api_error_samples: string[];
  /** a config (by resolved hash) a subscriber applied more than once: every change here is new content */
  duplicates: number;
  regressions: number;
  /** applies labelled with a seq an earlier apply had (a config polled while the stream was down takes the last seq known) */
  seq_repeats: number;
  reached_last: number;
  max_new_connections_per_replica_second: number;
  recovery_ms: number[];
  total_ms: number;
}

const STRATEGY = "RollingUpdate";

export async function runRollingUpdate(o: RollingOptions): Promise<RollingResult> {
  const began = Date.now();
  const env = {
    TRADAI_DATABASE_URL: o.databaseUrl,
    TRADAI_ADMIN_PASSWORD: o.adminPassword,
    TRADAI_LAUNCHER: "none",
    TRADAI_SHUTDOWN_GRACE_SECONDS: "15",
  };
  const db = new pg.Client({ connectionString: o.databaseUrl });
  let generation = 0;
  const live: { name: string; replica: Replica }[] = [];
  for (let i = 0; i < o.replicas; i++) live.push({ name: `r${generation++}`, replica: await o.startReplica(env) });
  const proxy = await startProxy(live.map((r) => backendOf(r.name, r.replica.url)));
  await db.connect();
  const latestSeq = async () =>
    Number(
      (
        await db.query<{ seq: string | null }>(
          "SELECT max(seq) AS seq FROM config_events WHERE strategy = $1 AND environment = 'dev'",
          [STRATEGY],
        )
      ).rows[0]?.seq ?? 0,
    );

  const admin = createApiClient({ baseUrl: proxy.url, credentials: { username: "admin", password: o.adminPassword } });
  const authorization = `Basic ${Buffer.from(`admin:${o.adminPassword}`).toString("base64")}`;
  await fetch(`${proxy.url}/api/v1/catalog`, {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body: JSON.stringify({ name: "rolling.threshold", type: "number", description: "A hot value", reload: "hot" }),
  });
  let k = 0;
  const change = async () => {
    const v = await admin.createConfig({ strategy_name: STRATEGY, config_data: { rolling: { threshold: k++ } } });
    await admin.activate(STRATEGY, v.config_id, { environment: "dev" });
  };
  await change();
  const { token } = await admin.createToken({
    name: `rolling-${Date.now()}`,
    roles: ["worker"],
    environments: ["dev"],
  });

  o.log(`${o.subscribers} subscribers connecting through the proxy to ${o.replicas} replicas`);
  const fleet = Array.from({ length: o.subscribers }, (_, i) =>
    createConfigSubscriber({
      url: proxy.url,
      credentials: { token },
      environment: "dev",
      strategies: [STRATEGY],
      workerId: `rolling-${i}`,
      mode: "paper",
      lastKnownGood: null,
      heartbeatMs: 30_000,
      warn: () => {},
    }),
  );
  for (let i = 0; i < fleet.length; i += 100) await Promise.all(fleet.slice(i, i + 100).map((s) => s.start()));
  const applied: { seq: number; hash: string | null }[][] = fleet.map(() => []);
  const loop = setInterval(() => {
    fleet.forEach((s, i) => {
      for (const a of s.boundary({ openTrades: 0 })) applied[i]?.push({ seq: a.seq, hash: a.resolved_hash });
    });
  }, 20);

  let requests = 0;
  const errors: string[] = [];
  let changing = true;
  const changes = (async () => {
    while (changing) {
      requests += 2;
      await change().catch((error: Error) => errors.push(error.message));
      await new Promise((r) => setTimeout(r, o.changeEveryMs));
    }
  })();
  const allApplied = async (seq: number, timeoutMs: number): Promise<boolean> => {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (applied.every((a) => (a.at(-1)?.seq ?? 0) >= seq)) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  };
  await allApplied(await latestSeq(), 60_000);
  const rollingFrom = Math.floor((Date.now() - began) / 1000);

  const recovery: number[] = [];
  for (let i = 0; i < o.replicas; i++) {
    const old = live.shift() as { name: string; replica: Replica };
    const fresh = { name: `r${generation++}`, replica: await o.startReplica(env) };
    live.push(fresh);
    proxy.add(backendOf(fresh.name, fresh.replica.url) as Backend);
    proxy.remove(old.name);
    const at = Date.now();
    const seqAtSigterm = await latestSeq();
    o.log(`replacing ${old.name} by ${fresh.name}: SIGTERM`);
    await old.replica.stop();
    // Back: every subscriber applied a change made after the SIGTERM.
    const back = await allApplied(seqAtSigterm + 1, 60_000);
    recovery.push(back ? Date.now() - at : Number.NaN);
    o.log(`${old.name} gone; all subscribers ${back ? `back in ${Date.now() - at} ms` : "NOT back within 60 s"}`);
  }
  changing = false;
  await changes;
  const lastHash = (await admin.resolve(STRATEGY, { environment: "dev" })).resolved_hash;
  const until = Date.now() + 60_000;
  while (Date.now() < until && !applied.every((a) => a.at(-1)?.hash === lastHash)) {
    await new Promise((r) => setTimeout(r, 50));
  }
  clearInterval(loop);

  let duplicates = 0;
  let regressions = 0;
  let seqRepeats = 0;
  for (const list of applied) {
    duplicates += list.length - new Set(list.map((a) => a.hash)).size;
    for (let j = 1; j < list.length; j++) {
      const [was, now] = [list[j - 1] as { seq: number }, list[j] as { seq: number }];
      if (now.seq < was.seq) regressions += 1;
      else if (now.seq === was.seq) seqRepeats += 1;
    }
  }
  let burst = 0;
  for (const bySecond of proxy.opened().values()) {
    for (const [second, count] of bySecond) if (second > rollingFrom) burst = Math.max(burst, count);
  }
  await Promise.all(fleet.map((s) => s.stop().catch(() => {})));
  for (const r of live) await r.replica.stop();
  await proxy.close();
  await db.end();
  return {
    replicas: o.replicas,
    subscribers: o.subscribers,
    changes: k,
    api_requests: requests,
    api_errors: errors.length,
    api_error_samples: errors.slice(0, 5),
    duplicates,
    regressions,
    seq_repeats: seqRepeats,
    reached_last: applied.filter((a) => a.at(-1)?.hash === lastHash).length,
    max_new_connections_per_replica_second: burst,
    recovery_ms: recovery,
    total_ms: Date.now() - began,
  };
}
