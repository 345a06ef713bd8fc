/**
 * Metrics per worker (issue 22): which version each worker runs and how far behind it is, bounded
 * in number (the most lagging kept, the rest counted); and the whole of /metrics passes
 * `promtool check metrics`.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

describe(`metrics per worker (${backend})`, () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform({ TRADAI_WORKER_METRICS_MAX: "2" });
  });
  afterAll(() => p?.close());

  const heartbeat = (worker: string, configId: string) =>
    p.http(
      `/api/v1/workers/${worker}/heartbeat`,
      postJson(
        JSON.stringify({
          environment: "dev",
          applied: [
            { strategy: "Wm", config_version_id: configId, resolved_hash: null, applied_at: new Date().toISOString() },
          ],
        }),
      ),
    );
  const scrape = async () => (await p.http("/metrics", { headers: { authorization: "" } })).body as string;
  const series = (text: string, name: string) => text.split("\n").filter((l) => l.startsWith(`${name}{`));

  it("says which version each worker applied and its lag, the most lagging first within the bound", async () => {
    const v1 = (await p.api.createConfig({ strategy_name: "Wm", config_data: { w: 1 } })).config_id;
    const v2 = (await p.api.createConfig({ strategy_name: "Wm", config_data: { w: 2 } })).config_id;
    await p.api.activate("Wm", v1);
    expect((await heartbeat("behind-1", v1)).status).toBe(204);
    expect((await heartbeat("behind-2", v1)).status).toBe(204);
    await p.api.activate("Wm", v2);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await heartbeat("current-1", v2)).status).toBe(204);

    const text = await scrape();
    const info = series(text, "tradai_worker_config_info");
    // Three workers, a bound of two: the up-to-date one is left out and counted.
    expect(info.sort()).toEqual(
      ["behind-1", "behind-2"].map(
        (w) => `tradai_worker_config_info{strategy="Wm",environment="dev",worker="${w}",version="${v1}"} 1`,
      ),
    );
    const lags = series(text, "tradai_worker_lag_seconds");
    expect(lags).toHaveLength(2);
    for (const line of lags) expect(Number(line.split(" ")[1])).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^tradai_worker_series_dropped 1$/m);
  });

  it("passes promtool check metrics", async () => {
    const text = await scrape();
    const check = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(check.error, "promtool is missing: .ci/run installs Debian's prometheus package").toBeUndefined();
    expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
    // Node's _total gauges (active handles, requests, resources) are left out; their per-type gauges stay.
    expect(text).not.toMatch(/^# TYPE \S+_total gauge$/m);
    expect(text).toMatch(/^# TYPE tradai_nodejs_active_handles gauge$/m);
  });
});
