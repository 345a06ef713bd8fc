/**
 * `tradai worker demo` against a real `tradai serve` process: it starts from the server's config,
 * applies a change made meanwhile at a cycle boundary, prints it with its latency, keeps the
 * last-known-good copy, and reports itself in the workers view.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createApiClient } from "@tradai/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_PASSWORD } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { eventually } from "../../../test-support/platform.js";
import { type CliTestServer, runCli, startCliTestServer } from "../../../test-support/server-process.js";

let t: CliTestServer;

describe(`tradai worker demo and list (${backend})`, () => {
  beforeAll(async () => {
    t = await startCliTestServer();
  });
  afterAll(() => t?.close());

  it("applies a change at a cycle boundary and prints it with its latency", async () => {
    const api = createApiClient({
      baseUrl: t.server.url,
      credentials: { username: "admin", password: TEST_ADMIN_PASSWORD },
    });
    await api.createParameter({ name: "risk.level", type: "int", description: "Level", reload: "hot" });
    const v1 = (await api.createConfig({ strategy_name: "Dm", config_data: { risk: { level: 1 } } })).config_id;
    await api.activate("Dm", v1);
    const copy = join(t.files, "demo-lkg.json");
    const demo = runCli(
      [
        "worker",
        "demo",
        "--strategy",
        "Dm",
        "--cycles",
        "25",
        "--cycle-ms",
        "400",
        "--worker-id",
        "demo-test",
        "--last-known-good",
        copy,
        "--label",
        "canary=true",
        "--label",
        "exchange=binance",
      ],
      { url: t.server.url },
    );
    await eventually(
      async () => ((await api.listWorkers()).items.some((w) => w.worker_id === "demo-test") ? true : undefined),
      "the demo worker's first heartbeat",
    );
    const v2 = (await api.createConfig({ strategy_name: "Dm", config_data: { risk: { level: 2 } } })).config_id;
    await api.activate("Dm", v2);
    // While it runs, on-call's view from the CLI: who runs what, and who lags.
    await eventually(async () => {
      const w = (await api.listWorkers()).items.find((x) => x.worker_id === "demo-test");
      return w?.strategies[0]?.applied_config_id === v2 ? w : undefined;
    }, "the applied change in the view");
    const listed = await runCli(["worker", "list", "--env", "dev"], { url: t.server.url });
    expect(listed.code, listed.stderr).toBe(0);
    const [header, row] = listed.stdout.trim().split("\n");
    expect(header?.split(/\s+/)).toEqual([
      "WORKER",
      "ENV",
      "LABELS",
      "STATUS",
      "STRATEGY",
      "APPLIED",
      "ACTIVE",
      "LAG",
      "HEARTBEAT",
      "RESTART_PENDING",
      "BETWEEN_TRADES_PENDING",
    ]);
    expect(row?.split(/\s{2,}/)).toEqual([
      "demo-test",
      "dev",
      "canary=true,exchange=binance",
      "ok",
      "Dm",
      v2,
      v2,
      "-",
      expect.stringMatching(/^\d+s ago$/),
      "-",
      "-",
    ]);
    // A selector keeps the workers whose labels hold every pair.
    const canaries = await runCli(["--json", "worker", "list", "--selector", "canary=true,exchange=binance"], {
      url: t.server.url,
    });
    expect(JSON.parse(canaries.stdout).map((w: { worker_id: string }) => w.worker_id)).toEqual(["demo-test"]);
    const none = await runCli(["worker", "list", "--selector", "canary=false"], { url: t.server.url });
    expect(none.stdout.trim()).toBe("no worker matches --env / --selector");
    const bad = await runCli(["worker", "list", "--selector", "Canary"], { url: t.server.url });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("selector");
    const { code, stdout, stderr } = await demo;
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      new RegExp(`^worker demo-test \\(paper\\) runs Dm in dev: ${v1} hash [0-9a-f]{12}; session [0-9a-f-]{36}$`),
    );
    const applied = lines.filter((l) => l.includes(" applied "));
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatch(new RegExp(`^cycle \\d+: applied Dm ${v2} hash [0-9a-f]{12} seq \\d+ latency \\d+ ms$`));
    const latency = Number(/latency (\d+) ms/.exec(applied[0] ?? "")?.[1]);
    expect(latency).toBeLessThan(10_000); // at most a cycle plus delivery; never negative
    expect(lines.at(-1)).toBe("worker demo-test stopped after 25 cycles");
    // The copy on disk is what the server verified last.
    expect(existsSync(copy)).toBe(true);
    expect(JSON.parse(readFileSync(copy, "utf8")).configs[0]).toMatchObject({ strategy: "Dm", config_version_id: v2 });
    // A clean stop says goodbye: it left the view; what it ran stays in its session's history.
    expect((await api.listWorkers()).items.find((w) => w.worker_id === "demo-test")).toBeUndefined();

    // What it ran, and when: its session, the start and the change it applied at a cycle end.
    const history = await runCli(["workers", "history", "demo-test"], { url: t.server.url });
    expect(history.code, history.stderr).toBe(0);
    const rows = history.stdout.split("\n").filter((l) => /^[12] {2,}/.test(l));
    expect(rows.map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([
      ["1", expect.stringMatching(/^\d{4}-/), v1],
      ["2", expect.stringMatching(/^\d{4}-/), v2],
    ]);
    expect(rows.map((l) => l.split(/\s{2,}/)[5])).toEqual(["start", "cycle_end"]);
    const json = await runCli(["--json", "workers", "history", "demo-test"], { url: t.server.url });
    const newest = JSON.parse(json.stdout).newest as { history: { applied_at: string; parameter_set_hash: string }[] };
    const [first, second] = newest.history;
    // "What did demo-test run at <a moment between its two applies>": v1, with its hash and set.
    const between = new Date((Date.parse(first?.applied_at ?? "") + Date.parse(second?.applied_at ?? "")) / 2);
    const at = await runCli(["workers", "history", "demo-test", "--at", between.toISOString()], { url: t.server.url });
    expect(at.code, at.stderr).toBe(0);
    expect(at.stdout).toContain(`At ${between.toISOString()} demo-test ran:`);
    expect(
      at.stdout
        .split("\n")[2]
        ?.split(/\s{2,}/)
        .slice(0, 6),
    ).toEqual(["Dm", "paper", "dev", v1, expect.stringMatching(/^[0-9a-f]{12}$/), first?.parameter_set_hash]);
    const never = await runCli(["workers", "history", "demo-test", "--at", "2020-01-01T00:00:00Z"], {
      url: t.server.url,
    });
    expect(never.code).toBe(1);
    expect(never.stdout).toContain("demo-test ran no session at 2020-01-01T00:00:00.000Z");
    const badTime = await runCli(["workers", "history", "demo-test", "--at", "yesterday-ish"], { url: t.server.url });
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain("--at must be a time");

    const unknown = await runCli(["worker", "list", "--env", "qa"], { url: t.server.url });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("environment");
  });

  it("refuses bad options as usage errors", async () => {
    const result = await runCli(["worker", "demo", "--strategy", "Dm", "--cycle-ms", "0"], { url: t.server.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--cycle-ms must be a positive whole number");
  });
});
