/** The gauges read at scrape time: one read of the workers per scrape, whatever the gauges that use it. */

import type { WorkerView } from "@tradai/core";
import { describe, expect, it } from "vitest";
import { platformMetrics, registerCollectedMetrics } from "../../src/features/metrics/registry.js";

/** The fields the gauges read; the rest of a worker's view does not matter here. */
const worker = (id: string, environment: string, status: WorkerView["status"]) =>
  ({
    worker_id: id,
    environment,
    status,
    strategies: [{ strategy: "S", applied_config_id: "v1-00000000", lag_seconds: status === "lagging" ? 12 : 0 }],
  }) as unknown as WorkerView;

describe("collected metrics", () => {
  it("read the workers once per scrape, for the status counts and every per-worker series", async () => {
    const metrics = platformMetrics();
    let reads = 0;
    registerCollectedMetrics(metrics, {
      feedSeq: () => 7,
      environments: () => ["dev", "prod"],
      activationsByEnvironment: async () => [],
      legacyMirrors: async () => [],
      workers: async () => {
        reads += 1;
        return [worker("w1", "dev", "ok"), worker("w2", "dev", "lagging"), worker("w3", "prod", "ok")];
      },
      workerSeriesMax: 10,
    });
    const text = await metrics.registry.metrics();
    expect(reads).toBe(1);
    expect(text).toContain('tradai_workers{environment="dev",status="ok"} 1');
    expect(text).toContain('tradai_workers{environment="dev",status="lagging"} 1');
    expect(text).toContain('tradai_workers{environment="prod",status="stale"} 0');
    expect(text).toMatch(/tradai_worker_config_info\{[^}]*worker="w3"[^}]*\} 1/);
    await new Promise((r) => setTimeout(r, 5));
    await metrics.registry.metrics();
    expect(reads).toBe(2);
  });
});
