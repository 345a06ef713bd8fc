/** Workers report what they applied; the view says who is up to date, lagging or stale. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

describe(`workers view (${backend})`, () => {
  let p: TestPlatform;
  beforeAll(async () => {
    // Lagging after 1 s behind; stale after 2 s without a heartbeat.
    p = await startTestPlatform({ TRADAI_WORKER_LAG_SECONDS: "1", TRADAI_WORKER_STALE_SECONDS: "2" });
  });
  afterAll(() => p?.close());

  const heartbeat = (worker: string, applied: { strategy: string; config_version_id: string | null }[], extra = {}) =>
    p.http(
      `/api/v1/workers/${worker}/heartbeat`,
      postJson(
        JSON.stringify({
          environment: "dev",
          applied: applied.map((a) => ({ ...a, resolved_hash: null, applied_at: new Date().toISOString() })),
          ...extra,
        }),
      ),
    );
  const view = async (worker: string) =>
    (await p.api.listWorkers()).items.find((w: { worker_id: string }) => w.worker_id === worker);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it("compares what each worker applied with what is active, in versions and seconds", async () => {
    const [v1, v2, v3] = [
      (await p.api.createConfig({ strategy_name: "Wk", config_data: { w: 1 } })).config_id,
      (await p.api.createConfig({ strategy_name: "Wk", config_data: { w: 2 } })).config_id,
      (await p.api.createConfig({ strategy_name: "Wk", config_data: { w: 3 } })).config_id,
    ];
    await p.api.activate("Wk", v1);
    const first = await heartbeat("paper-1", [{ strategy: "Wk", config_version_id: v1 }], {
      last_seq: 1,
      pending_restart: ["exchange"],
      process: { pid: 4242, host: "box", mode: "paper" },
    });
    expect(first.status).toBe(204);
    expect(await view("paper-1")).toMatchObject({
      environment: "dev",
      status: "ok",
      last_seq: 1,
      pending_restart: ["exchange"],
      process: { pid: 4242, mode: "paper" },
      strategies: [
        {
          strategy: "Wk",
          applied_config_id: v1,
          active_config_id: v1,
          up_to_date: true,
          lag_versions: 0,
          lag_seconds: 0,
        },
      ],
    });
    await p.api.activate("Wk", v2);
    await p.api.activate("Wk", v3);
    await heartbeat("paper-1", [{ strategy: "Wk", config_version_id: v1 }]);
    const behind = await view("paper-1");
    expect(behind?.strategies[0]).toMatchObject({ active_config_id: v3, up_to_date: false, lag_versions: 2 });
    await sleep(1200);
    await heartbeat("paper-1", [{ strategy: "Wk", config_version_id: v1 }]);
    const lagging = await view("paper-1");
    expect(lagging?.status).toBe("lagging");
    expect(lagging?.strategies[0]?.lag_seconds).toBeGreaterThan(1);
    await heartbeat("paper-1", [{ strategy: "Wk", config_version_id: v3 }]);
    expect(await view("paper-1")).toMatchObject({ status: "ok", strategies: [{ up_to_date: true, lag_versions: 0 }] });
    await sleep(2200);
    expect((await view("paper-1"))?.status).toBe("stale");
  });

  it("refuses malformed heartbeats naming the field, and keeps environment-scoped tokens to their environment", async () => {
    const bad = await p.http(
      "/api/v1/workers/w1/heartbeat",
      postJson('{"environment":"dev","applied":[{"strategy":"Wk"}]}'),
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain("applied[0].config_version_id");
    const unknownEnvironment = await p.http(
      "/api/v1/workers/w1/heartbeat",
      postJson('{"environment":"qa","applied":[]}'),
    );
    expect(unknownEnvironment.status).toBe(422);
    expect(unknownEnvironment.body.errors).toEqual([
      expect.objectContaining({ field: "environment", location: "body" }),
    ]);
    const badId = await p.http("/api/v1/workers/bad id!/heartbeat", postJson('{"environment":"dev","applied":[]}'));
    expect(badId.status).toBe(422);
    const { token } = await p.api.createToken({ name: "prod-worker", roles: ["viewer"], environments: ["prod"] });
    const outOfScope = await p.http("/api/v1/workers/w2/heartbeat", {
      ...postJson('{"environment":"dev","applied":[]}'),
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
    expect(outOfScope.status).toBe(403);
    const inScope = await p.http("/api/v1/workers/w2/heartbeat", {
      ...postJson('{"environment":"prod","applied":[]}'),
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
    expect(inScope.status).toBe(204);
    expect(
      (await p.api.listWorkers({ environment: "prod" })).items.map((w: { worker_id: string }) => w.worker_id),
    ).toEqual(["w2"]);
  });
});
