/** The Grafana dashboard under deploy/grafana queries only metrics the platform exports. */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

const DASHBOARD = resolve(dirname(fileURLToPath(import.meta.url)), "../../../deploy/grafana/tradai-distribution.json");

describe(`Grafana dashboard (${backend})`, () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(() => p?.close());

  it("queries only metrics that GET /metrics exports", async () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, "utf8")) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const queried = new Set(
      dashboard.panels.flatMap((panel) =>
        panel.targets.flatMap((t) => [...t.expr.matchAll(/tradai_[a-z_]+/g)].map((m) => m[0])),
      ),
    );
    expect(queried.size).toBeGreaterThan(8);
    const exported = (await p.http("/metrics", { headers: { authorization: "" } })).body as string;
    const families = new Set([...exported.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    const unknown = [...queried].filter(
      (name) => !families.has(name) && !families.has(name.replace(/_(bucket|count|sum)$/, "")),
    );
    expect(unknown).toEqual([]);
  });
});
