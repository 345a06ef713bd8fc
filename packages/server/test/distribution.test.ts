/** The change feed: events in the change's transaction, gapless; SSE with snapshot, changes and resume; replicas; rollback. */
import { loadSettings, type Platform, startPlatform } from "@tradai/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_AUTHORIZATION } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { eventually, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";
import { openSse, type SseStream } from "../../../test-support/sse-client.js";

const auth = { authorization: ADMIN_AUTHORIZATION };

describe(`change feed and stream (${backend})`, () => {
  let p: TestPlatform;
  let replicaB: Platform;
  const streams: SseStream[] = [];
  const version = async (strategy: string, data: Record<string, unknown>) =>
    (await p.api.createConfig({ strategy_name: strategy, config_data: data })).config_id;
  const events = async () =>
    (
      await p.db.query<{
        seq: number;
        kind: string;
        environment: string | null;
        strategy: string | null;
        config_id: string | null;
        changes: unknown;
      }>("SELECT seq, kind, environment, strategy, config_id, changes FROM config_events ORDER BY seq")
    ).rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  const stream = async (base: string, query: string, headers: Record<string, string> = {}) => {
    const s = await openSse(`${base}/api/v1/stream?${query}`, { ...auth, ...headers });
    streams.push(s);
    return s;
  };

  beforeAll(async () => {
    p = await startTestPlatform();
    // A second replica on the same database: its own HTTP server, feed and LISTEN connection.
    replicaB = await startPlatform(
      loadSettings({ TRADAI_PORT: "0", TRADAI_LOG_LEVEL: "silent", TRADAI_LAUNCHER: "none" }),
      p.db,
    );
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await replicaB?.close();
    await p?.close();
  });

  it("writes one event per resolved config a change alters, with gapless seq and reload classes", async () => {
    await p.api.createParameter({ name: "risk.stoploss", type: "number", description: "Stop", reload: "hot" });
    await p.api.createParameter({ name: "exchange", type: "string", description: "Venue" }); // restart
    const before = (await events()).length;
    const v1 = await version("Ev", { risk: { stoploss: -0.05 }, exchange: "a" });
    const v2 = await version("Ev", { exchange: "b" });
    expect((await events()).length).toBe(before); // creating a version alters nothing in force
    await p.api.activate("Ev", v1);
    await p.api.activate("Ev", v2);
    await p.api.putEnvironmentBase("dev", { note: "x" });
    // A new default reaches Ev in dev, whose version does not set it.
    await p.api.updateParameter({
      name: "risk.stoploss",
      type: "number",
      description: "Stop",
      reload: "hot",
      default: -0.1,
    });
    await p.api.activate("Ev", v1, { environment: "staging" });
    // Refused changes leave no event: deprecating what is active would leave staging with nothing.
    await expect(p.api.deprecateConfig("Ev", v1, { environment: "staging" })).rejects.toMatchObject({
      problem: { status: 409 },
    });
    await expect(p.api.activate("Ev", "v9-00000000")).rejects.toMatchObject({ problem: { status: 404 } });
    const all = await events();
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    const mine = all.slice(before);
    expect(mine.map((e) => [e.kind, e.environment, e.strategy, e.config_id])).toEqual([
      ["activation", "dev", "Ev", v1],
      ["activation", "dev", "Ev", v2],
      ["environment_base", "dev", "Ev", v2],
      ["catalog", "dev", "Ev", v2],
      ["activation", "staging", "Ev", v1],
    ]);
    expect(mine[1]?.changes).toEqual([
      { key: "exchange", reload: "restart" },
      { key: "risk.stoploss", reload: "hot" },
    ]);
    expect(mine[2]?.changes).toEqual([{ key: "note", reload: "restart" }]);
    expect(mine[3]?.changes).toEqual([{ key: "risk.stoploss", reload: "hot" }]);
    // The audit entry of each change names its events.
    const audited = await p.api.listAudit({ action: "config.activate", target_id: `Ev/${v2}` });
    expect(audited.items[0]?.details).toMatchObject({ event_seqs: [mine[1]?.seq] });
    const catalog = await p.api.listAudit({ action: "catalog.change", limit: 1 });
    expect(catalog.items[0]?.details).toMatchObject({ event_seqs: [mine[3]?.seq] });
    // Append-only.
    await expect(p.db.query("DELETE FROM config_events")).rejects.toThrow(/append-only/);
    await p.api.putEnvironmentBase("dev", {});
  });

  it("streams a snapshot, then each change (id = seq), to subscribers of either replica", async () => {
    const v1 = await version("St", { a: 1 });
    await p.api.activate("St", v1);
    const onA = await stream(p.url, "environment=dev&strategy=St");
    const onB = await stream(replicaB.url, "strategy=St");
    expect(onA.status).toBe(200);
    const snapshot = await onA.waitFor((f) => f.event === "snapshot", "snapshot");
    expect(snapshot.data.configs).toEqual([
      expect.objectContaining({ strategy: "St", config_version_id: v1, values: { a: 1, risk: { stoploss: -0.1 } } }),
    ]);
    await onB.waitFor((f) => f.event === "snapshot", "snapshot on B");
    const v2 = await version("St", { a: 2 });
    await p.api.activate("St", v2); // through replica A
    for (const s of [onA, onB]) {
      const change = await s.waitFor(
        (f) => f.event === "change" && f.data.configs[0]?.config_version_id === v2,
        "change",
      );
      expect(change.id).toBe(String(change.data.seq));
      expect(change.data).toMatchObject({
        kind: "activation",
        strategy: "St",
        changes: [{ key: "a", reload: "restart" }],
        // A replica with few streams: the workers' own 5 s window for the report after the apply.
        report_within_ms: 5000,
      });
      expect(change.data.configs[0].values).toEqual({ a: 2, risk: { stoploss: -0.1 } });
    }
    // Other strategies' changes are not sent to a subscriber of St.
    await p.api.activate("Other", await version("Other", { o: 1 }));
    await new Promise((r) => setTimeout(r, 300));
    expect(onA.frames.some((f) => f.data.strategy === "Other")).toBe(false);
  });

  it("resumes with Last-Event-ID: exactly the missed events, in order, with no gap", async () => {
    const first = await stream(p.url, "strategy=Rs");
    const snapshot = await first.waitFor((f) => f.event === "snapshot", "snapshot");
    first.close();
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const v = await version("Rs", { i });
      await p.api.activate("Rs", v);
      ids.push(v);
    }
    const resumed = await stream(replicaB.url, "strategy=Rs", { "last-event-id": String(snapshot.data.seq) });
    await resumed.waitFor((f) => f.data.config_id === ids[2], "the third change");
    expect(resumed.frames.some((f) => f.event === "snapshot")).toBe(false);
    const seqs = resumed.frames.map((f) => Number(f.id));
    expect(resumed.frames.map((f) => f.data.config_id)).toEqual(ids);
    // Each carries what is in force when sent: a replay converges on the latest.
    expect(resumed.frames.at(-1)?.data.configs[0]).toMatchObject({
      config_version_id: ids[2],
      values: { i: 3, risk: { stoploss: -0.1 } },
    });
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // Every event between the snapshot and the last was either sent or not about Rs.
    const between = (await events()).filter((e) => e.seq > snapshot.data.seq && e.seq <= (seqs.at(-1) ?? 0));
    expect(between.filter((e) => e.strategy === "Rs" || e.strategy === null).map((e) => e.seq)).toEqual(seqs);
    const bad = await p.http("/api/v1/stream", { headers: { "last-event-id": "yesterday" } });
    expect(bad.status).toBe(422);
  });

  it("resumes from the replica's memory without a statement to the database (a reconnect storm costs it nothing); a replica started later reads the table", async () => {
    const reads = async (replica: Platform) =>
      (await replica.metrics.databaseStatements.get()).values.find((v) => v.labels.kind === "read")?.value ?? 0;
    const first = await stream(replicaB.url, "strategy=Mem");
    const snapshot = await first.waitFor((f) => f.event === "snapshot", "snapshot");
    const ids = [await version("Mem", { m: 1 }), await version("Mem", { m: 2 })];
    for (const id of ids) await p.api.activate("Mem", id);
    await first.waitFor((f) => f.data.config_id === ids[1], "the second change on B");
    first.close();
    const before = await reads(replicaB);
    const resumed = await stream(replicaB.url, "strategy=Mem", { "last-event-id": String(snapshot.data.seq) });
    await resumed.waitFor((f) => f.data.config_id === ids[1], "the second change, resumed");
    // Nothing but, at most, the feed's own 2 s poll of the table.
    expect((await reads(replicaB)) - before).toBeLessThanOrEqual(1);
    expect(resumed.frames.map((f) => f.data.config_id)).toEqual(ids);

    const replicaC = await startPlatform(
      loadSettings({ TRADAI_PORT: "0", TRADAI_LOG_LEVEL: "silent", TRADAI_LAUNCHER: "none" }),
      p.db,
    );
    try {
      const fromTable = await stream(replicaC.url, "strategy=Mem", { "last-event-id": String(snapshot.data.seq) });
      await fromTable.waitFor((f) => f.data.config_id === ids[1], "the second change, from the table");
      expect(fromTable.frames.map((f) => f.data.config_id)).toEqual(ids);
      fromTable.close();
    } finally {
      await replicaC.close();
    }
  });

  it("a Last-Event-ID ahead of the database (a restored database) gets a snapshot, which resets the client's seq", async () => {
    await p.api.activate("Ahead", await version("Ahead", { a: 1 }));
    const head = Math.max(...(await events()).map((e) => e.seq));
    const ahead = await stream(p.url, "strategy=Ahead", { "last-event-id": String(head + 1000) });
    const snapshot = await ahead.waitFor((f) => f.event === "snapshot", "a snapshot");
    expect(snapshot.data.seq).toBe(head);
    expect(snapshot.data.configs[0]).toMatchObject({ strategy: "Ahead", values: { a: 1 } });
    // At the head itself nothing was missed: no snapshot, the stream just goes on.
    const atHead = await stream(p.url, "strategy=Ahead", { "last-event-id": String(head) });
    await new Promise((r) => setTimeout(r, 300));
    expect(atHead.frames.filter((f) => f.event === "snapshot")).toEqual([]);
  });

  it("resolve answers with the resolved hash as ETag, and 304 to If-None-Match while nothing changed", async () => {
    const v = await version("Et", { e: 1 });
    await p.api.activate("Et", v);
    const first = await p.http("/api/v1/resolve/Et");
    const etag = first.headers.get("etag");
    expect(etag).toBe(`"${first.body.resolved_hash}"`);
    const same = await p.http("/api/v1/resolve/Et", { headers: { "if-none-match": etag ?? "" } });
    expect(same.status).toBe(304);
    expect(same.body).toBe("");
    expect(same.headers.get("etag")).toBe(etag);
    expect(same.headers.get("x-content-type-options")).toBe("nosniff");
    await p.api.activate("Et", await version("Et", { e: 2 }));
    const changed = await p.http("/api/v1/resolve/Et", { headers: { "if-none-match": etag ?? "" } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("needs credentials", async () => {
    expect((await fetch(`${p.url}/api/v1/stream`)).status).toBe(401);
  });

  it("rolls back to the version the current one superseded, through the activation path", async () => {
    const [v1, v2] = [await version("Rb", { r: 1 }), await version("Rb", { r: 2 })];
    await p.api.activate("Rb", v1);
    await p.api.activate("Rb", v2);
    const back = await p.http("/api/v1/configs/Rb/rollback", { method: "POST" });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ config_id: v1, status: "active", previous_config_id: v2 });
    const none = await p.http("/api/v1/configs/Rb/rollback?environment=staging", { method: "POST" });
    expect(none.status).toBe(409);
    // In prod a rollback is a change request like any activation.
    await p.activateApproved("Rb", v1, "prod");
    await p.activateApproved("Rb", v2, "prod");
    const prod = await p.http("/api/v1/configs/Rb/rollback?environment=prod", { method: "POST" });
    expect(prod.status).toBe(202);
    expect(prod.body.change_request).toMatchObject({ config_id: v1, base_config_id: v2, environment: "prod" });
  });

  // Only a server connection can be lost (PGlite listens in process), so only the postgres project has this test.
  if (backend === "postgres")
    it("a replica that loses its LISTEN connection catches up, skipping nothing", async () => {
      const s = await stream(replicaB.url, "strategy=Lc");
      await s.waitFor((f) => f.event === "snapshot", "snapshot");
      await p.db.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tradai-listen'",
      );
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push(await version("Lc", { i }));
        await p.api.activate("Lc", ids[i] as string);
      }
      await s.waitFor((f) => f.data.config_id === ids[2], "the last change after the connection loss");
      expect(s.frames.filter((f) => f.event === "change").map((f) => f.data.config_id)).toEqual(ids);
      await eventually(async () => {
        const { rows } = await p.db.query("SELECT 1 FROM pg_stat_activity WHERE application_name = 'tradai-listen'");
        return rows.length >= 2 ? true : undefined;
      }, "both replicas listening again");
    });
});
