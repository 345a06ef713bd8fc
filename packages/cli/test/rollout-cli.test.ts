/**
 * `tradai rollout` against a real `tradai serve` process: start with steps and guards in words,
 * list, status (steps, guards, workers), pause, resume, abort; a step or guard it cannot read is a
 * usage error (exit 2) that starts nothing.
 */
import { createApiClient } from "@tradai/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_PASSWORD } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { type CliTestServer, runCli, startCliTestServer } from "../../../test-support/server-process.js";

let t: CliTestServer;
let api: ReturnType<typeof createApiClient>;
const cli = (...args: string[]) => runCli(args, { url: t.server.url });

describe(`tradai rollout and tradai schedule (${backend})`, () => {
  beforeAll(async () => {
    t = await startCliTestServer();
    api = createApiClient({ baseUrl: t.server.url, credentials: { username: "admin", password: TEST_ADMIN_PASSWORD } });
  });
  afterAll(() => t?.close());

  it("starts, shows, pauses, resumes and aborts a staged rollout; refuses steps and guards it cannot read", async () => {
    const v1 = (await api.createConfig({ strategy_name: "RollCli", config_data: { a: 1 } })).config_id;
    await api.activate("RollCli", v1);
    const v2 = (await api.createConfig({ strategy_name: "RollCli", config_data: { a: 2 } })).config_id;

    const bad = await cli("rollout", "start", "RollCli", v2, "--env", "dev", "--step", "150%");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--step");
    const badGuard = await cli(
      "rollout",
      "start",
      "RollCli",
      v2,
      "--env",
      "dev",
      "--step",
      "100%",
      "--guard",
      "errors>>2",
    );
    expect(badGuard.code).toBe(2);
    expect(badGuard.stderr).toContain("--guard");
    expect((await api.listRollouts()).rollouts).toEqual([]);

    const started = await cli(
      "rollout",
      "start",
      "RollCli",
      v2,
      "--env",
      "dev",
      "--step",
      "canary=true@10m",
      "--step",
      "25%@1h",
      "--step",
      "100%",
      "--guard",
      "errors>2x@2m",
      "--guard",
      "drawdown_pct>5",
      "--guard",
      "stale",
    );
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toContain(`Started rollout`);
    const [rollout] = (await api.listRollouts({ strategy: "RollCli" })).rollouts;
    expect(rollout).toMatchObject({
      state: "running",
      config_id: v2,
      from_config_id: v1,
      steps: [
        { selector: "canary=true", bake_seconds: 600 },
        { share: 0.25, bake_seconds: 3600 },
        { share: 1, bake_seconds: 0 },
      ],
      guards: [
        { kind: "figure_vs_baseline", figure: "errors", ratio: 2, for_seconds: 120 },
        { kind: "figure_above", figure: "drawdown_pct", above: 5, for_seconds: 0 },
        { kind: "canary_stale" },
      ],
    });
    const id = rollout?.id as string;

    const list = await cli("rollout", "list", "--env", "dev");
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+RollCli\\s+dev\\s+${v2}\\s+${v1}\\s+running\\s+1/3`));
    const status = await cli("rollout", "status", id);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain("1. [now ] the workers with canary=true, bake 10m");
    expect(status.stdout).toContain("2. [    ] 25% of the workers, bake 60m");
    expect(status.stdout).toContain("errors: no canary reports it");
    expect(status.stdout).toContain("none reports the strategy");

    expect((await cli("rollout", "pause", id)).stdout).toContain("is paused at step 1 of 3");
    expect((await cli("rollout", "resume", id)).stdout).toContain("is running at step 1 of 3");
    const aborted = await cli("rollout", "abort", id, "--reason", "changed our mind");
    expect(aborted.stdout).toContain(`its workers run ${v1} again`);
    const after = await api.getRollout(id);
    expect(after).toMatchObject({ state: "aborted", end_reason: "changed our mind" });
    const again = await cli("rollout", "abort", id, "--reason", "twice");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already ended (aborted");
  });

  it("schedules a change in a time zone, lists it pending, cancels it; a time zone it cannot use is refused naming it", async () => {
    const v1 = (await api.createConfig({ strategy_name: "SchedCli", config_data: { a: 1 } })).config_id;
    await api.activate("SchedCli", v1);
    const v2 = (await api.createConfig({ strategy_name: "SchedCli", config_data: { a: 2 } })).config_id;

    const bad = await cli(
      "schedule",
      "activate",
      "SchedCli",
      v2,
      "--env",
      "dev",
      "--at",
      "2031-03-01T09:00",
      "--tz",
      "Mars/Olympus",
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("time_zone");
    const made = await cli(
      "schedule",
      "activate",
      "SchedCli",
      v2,
      "--env",
      "dev",
      "--at",
      "2031-03-01T09:00",
      "--tz",
      "Asia/Tokyo",
    );
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain(`activate ${v2} of SchedCli in dev at 2031-03-01 09:00 GMT+9`);
    expect(made.stdout).toContain(`it runs only if ${v1} is still active then`);
    const id = /Scheduled (\S+):/.exec(made.stdout)?.[1] as string;
    const list = await cli("schedule", "list", "--env", "dev", "--state", "pending");
    expect(list.stdout).toMatch(
      new RegExp(`${id}\\s+activation\\s+SchedCli\\s+dev\\s+${v2}\\s+2031-03-01T09:00:00\\+09:00\\s+pending`),
    );
    const notAnId = await cli("schedule", "change-request", "forty-two", "--at", "2031-03-01T09:00");
    expect(notAnId.code).toBe(2);
    expect(notAnId.stderr).toContain('not "forty-two"');
    const cancelled = await cli("schedule", "cancel", id, "--reason", "moved to Monday");
    expect(cancelled.stdout).toContain(`Cancelled ${id}`);
    expect((await api.listScheduledChanges({ state: "pending" })).items).toEqual([]);
  });
});
