/**
 * The shipped Prometheus alert rules (deploy/prometheus/tradai-alerts.yml): valid for promtool, its
 * unit tests pass, and every metric they name is one the platform exports.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { platformMetrics, registerCollectedMetrics } from "../../src/features/metrics/registry.js";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../../deploy/prometheus");
const promtool = (...args: string[]) => spawnSync("promtool", args, { cwd: DIR, encoding: "utf8" });

describe("the shipped alert rules", () => {
  it("pass promtool's check and their own unit tests", () => {
    const check = promtool("check", "rules", "tradai-alerts.yml");
    expect(check.error, "promtool is missing: .ci/run installs Debian's prometheus package").toBeUndefined();
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const test = promtool("test", "rules", "tradai-alerts.test.yml");
    expect(test.status, test.stdout + test.stderr).toBe(0);
  });

  it("name only metrics the platform exports", () => {
    const metrics = platformMetrics();
    registerCollectedMetrics(metrics, {
      feedSeq: () => 0,
      environments: () => [],
      activationsByEnvironment: async () => [],
      legacyMirrors: async () => [],
      workers: async () => [],
      workerSeriesMax: 10,
    });
    const exported = new Set(metrics.registry.getMetricsAsArray().map((m) => m.name));
    const named = new Set(readFileSync(join(DIR, "tradai-alerts.yml"), "utf8").match(/\btradai_[a-z_]+/g));
    expect(named.size).toBeGreaterThanOrEqual(3);
    // A histogram is queried through its series (_bucket, _count, _sum).
    const family = (name: string) => name.replace(/_(bucket|count|sum)$/, "");
    expect([...named].filter((name) => !exported.has(name) && !exported.has(family(name)))).toEqual([]);
  });
});
