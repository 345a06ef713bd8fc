/**
 * Many clients at once, through real HTTP. On PostgreSQL the requests run on separate pooled
 * connections, so the row lock, the partial unique index and the dedup index are what keep
 * the invariants; on PGlite requests are serialised by the single connection.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

describe(`concurrency (${backend})`, () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(() => p.close());

  it("concurrent creates of the same content produce one version", async () => {
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        p.http(
          "/api/v1/configs",
          postJson(
            i % 2
              ? '{"strategy_name":"Same","config_data":{"b":2,"a":1}}'
              : '{"strategy_name":"Same","config_data":{"a":1.0,"b":2}}',
          ),
        ),
      ),
    );
    expect(results.map((r) => r.status).sort((a, b) => b - a)).toEqual([201, ...Array(23).fill(200)]);
    expect(new Set(results.map((r) => r.body.config_id)).size).toBe(1);
    const { rows } = await p.db.query("SELECT 1 FROM config_versions WHERE strategy_name = 'Same'");
    expect(rows).toHaveLength(1);
  });

  it("concurrent creates of different content get gapless, distinct numbers", async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => p.api.createConfig({ strategy_name: "Many", config_data: { i } })),
    );
    expect(results.map((r) => r.version_number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    for (const r of results) expect(r.config_id).toBe(`v${r.version_number}-${r.config_hash.slice(0, 8)}`);
  });

  it("concurrent activations of different versions leave exactly one active and a consistent superseded_by chain", async () => {
    // Approval is another test's subject: here prod activates at once.
    await p.approved(p.api.updateEnvironmentPolicy("prod", { requires_approval: false }));
    const ids: string[] = [];
    for (let i = 0; i < 12; i++)
      ids.push((await p.api.createConfig({ strategy_name: "Race", config_data: { v: i } })).config_id);
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        ids.map((id, i) => p.api.activate("Race", id, { environment: i % 3 === 0 ? "prod" : "dev" })),
      );
      expect(results.every((r) => "status" in r && r.status === "active")).toBe(true);
    }
    for (const environment of ["dev", "prod"]) {
      const active = await p.api.listConfigs("Race", { environment, status: "active" });
      expect(active.items).toHaveLength(1);
      const { rows } = await p.db.query<{
        config_id: string;
        activated_at: Date;
        ended_at: Date | null;
        superseded_by: string | null;
      }>(
        "SELECT config_id, activated_at, ended_at, superseded_by FROM activations WHERE strategy_name = 'Race' AND environment = $1 ORDER BY id",
        [environment],
      );
      expect(rows.filter((r) => r.ended_at === null)).toHaveLength(1);
      const last = rows[rows.length - 1];
      expect(last?.ended_at).toBeNull();
      expect(last?.config_id).toBe(active.items[0]?.config_id);
      for (let i = 0; i + 1 < rows.length; i++) {
        const [prev, next] = [rows[i], rows[i + 1]];
        expect(prev?.superseded_by).toBe(next?.config_id);
        expect(prev?.ended_at?.getTime()).toBe(next?.activated_at.getTime());
        expect(next?.activated_at.getTime()).toBeGreaterThanOrEqual(prev?.activated_at.getTime() ?? 0);
      }
    }
  });

  it("concurrent activate and deprecate of one version never leave a deprecated version active", async () => {
    // Whichever commits first wins: a deprecated version cannot be activated (409), and an active
    // version cannot be deprecated while it is all its environment resolves (409). Never both.
    const won = { deprecate: 0, activate: 0 };
    for (let i = 0; i < 10; i++) {
      const id = (await p.api.createConfig({ strategy_name: "Flip", config_data: { i } })).config_id;
      const outcomes = await Promise.allSettled([
        p.api.activate("Flip", id),
        p.api.deprecateConfig("Flip", id),
        p.api.activate("Flip", id),
      ]);
      const shown = await p.api.showConfig("Flip", id);
      if (outcomes[1]?.status === "fulfilled") {
        won.deprecate++;
        expect(shown.status).toBe("deprecated");
        expect(shown.explicitly_deprecated).toBe(true);
      } else {
        won.activate++;
        expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/is active in dev; deprecating it/);
        expect(shown.status).toBe("active");
        expect(shown.explicitly_deprecated).toBe(false);
      }
      const active = await p.api.listConfigs("Flip", { status: "active" });
      expect(active.items.length).toBeLessThanOrEqual(1);
      expect(active.items.filter((v) => v.explicitly_deprecated)).toEqual([]);
    }
    expect(won.deprecate + won.activate).toBe(10);
  });
});
