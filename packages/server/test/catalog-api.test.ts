/** The parameter catalog through HTTP: revisions, validation of config versions, refusals. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

const send = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe(`parameter catalog (${backend})`, () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(() => p.close());

  async function catalogState() {
    const { rows } = await p.db.query(
      `SELECT (SELECT count(*)::int FROM catalog_revisions) AS revisions, (SELECT count(*)::int FROM catalog_parameters) AS parameters,
              (SELECT count(*)::int FROM catalog_changes) AS changes`,
    );
    return rows[0];
  }
  const createConfig = (strategy: string, data: unknown) =>
    p.http("/api/v1/configs", postJson(JSON.stringify({ strategy_name: strategy, config_data: data })));

  it("an empty catalog accepts free-form config data as before (seed flows keep working)", async () => {
    const res = await createConfig("StochRsiStrategy", { timeframe: "1h", stoploss: -0.02, stake_amount: 150 });
    expect(res.status).toBe(201);
    expect(res.body.catalog_revision).toBeNull();
    expect((await createConfig("StochRsiStrategy", { stoploss: -0.04, early: true })).status).toBe(201);
  });

  it("adding parameters makes numbered revisions with who and what", async () => {
    const a = await p.http(
      "/api/v1/catalog",
      send("POST", {
        name: "stoploss",
        type: "number",
        min: -0.5,
        max: 0,
        description: "Stop loss, negative fraction",
        group: "risk",
        criticality: "critical",
      }),
    );
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      revision: 1,
      changed: true,
      parameter: { name: "stoploss", reload: "restart", criticality: "critical" },
    });
    const b = await p.http(
      "/api/v1/catalog",
      send("POST", {
        name: "risk.max_positions",
        type: "int",
        min: 1,
        max: 10,
        step: 1,
        description: "Open positions at most",
        group: "risk",
        strategies: ["StochRsiStrategy"],
      }),
    );
    expect(b.body.revision).toBe(2);
    await p.http(
      "/api/v1/catalog",
      send("POST", {
        name: "roi_target",
        type: "number",
        min: 0,
        max: 1,
        description: "Old take-profit",
        group: "exits",
      }),
    );
    await p.http(
      "/api/v1/catalog",
      send("POST", {
        name: "take_profit",
        type: "number",
        min: 0,
        max: 1,
        description: "Take-profit fraction",
        group: "exits",
      }),
    );
    const revisions = await p.http("/api/v1/catalog/revisions");
    expect(
      revisions.body.items.map((r: { revision: number; summary: string; created_by: string }) => [
        r.revision,
        r.summary,
      ]),
    ).toEqual([
      [4, "create parameter take_profit"],
      [3, "create parameter roi_target"],
      [2, "create parameter risk.max_positions"],
      [1, "create parameter stoploss"],
    ]);
    expect(revisions.body.items[0].created_by).toBe("admin");
    const audited = await p.api.listAudit({ action: "catalog.change", limit: 1 });
    expect(audited.items[0]).toMatchObject({
      actor: "admin",
      target_type: "catalog_revision",
      target_id: String(revisions.body.items[0].revision),
      details: { summary: revisions.body.items[0].summary },
    });
  });

  it("lists with filters and shows one parameter", async () => {
    const all = await p.http("/api/v1/catalog");
    expect(all.body.revision).toBe(4);
    expect(all.body.items.map((i: { parameter: { name: string } }) => i.parameter.name)).toEqual([
      "risk.max_positions",
      "roi_target",
      "stoploss",
      "take_profit",
    ]);
    const risk = await p.http("/api/v1/catalog?group=risk&strategy=OtherStrategy");
    expect(risk.body.items.map((i: { parameter: { name: string } }) => i.parameter.name)).toEqual(["stoploss"]);
    const text = await p.http("/api/v1/catalog?q=take-profit");
    expect(text.body.items).toHaveLength(2);
    const one = await p.http("/api/v1/catalog/parameters/stoploss");
    expect(one.body).toMatchObject({ created_revision: 1, updated_revision: 1, parameter: { min: -0.5 } });
    expect((await p.http("/api/v1/catalog/parameters/nope")).status).toBe(404);
  });

  it("a config violating a bound, off step or of the wrong type cannot be created; nothing is stored", async () => {
    const before = await p.db.query("SELECT count(*)::int AS n FROM config_versions");
    const res = await createConfig("StochRsiStrategy", { stoploss: -0.9, risk: { max_positions: 2.5 } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { field: "config_data.risk.max_positions", location: "body", message: "must be a whole number" },
      { field: "config_data.stoploss", location: "body", message: "must be at least -0.5" },
    ]);
    expect((await p.db.query("SELECT count(*)::int AS n FROM config_versions")).rows).toEqual(before.rows);
  });

  it("records the catalog revision a version was validated against", async () => {
    const res = await createConfig("StochRsiStrategy", {
      stoploss: -0.05,
      risk: { max_positions: 3 },
      roi_target: 0.1,
    });
    expect(res.status).toBe(201);
    expect(res.body.catalog_revision).toBe(4);
    expect(await p.activateApproved("StochRsiStrategy", res.body.config_id)).toBe("applied");
  });

  it("a change that would make an active version invalid is refused with 409 naming it, unless forced", async () => {
    const before = await catalogState();
    const tighten = {
      name: "stoploss",
      type: "number",
      min: -0.03,
      max: 0,
      description: "Stop loss",
      group: "risk",
      criticality: "critical",
    };
    const refused = await p.http("/api/v1/catalog/parameters/stoploss", send("PUT", tighten));
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/StochRsiStrategy\/dev\/v\d+-[0-9a-f]{8} \(stoploss: must be at least -0.03\)/);
    expect(await catalogState()).toEqual(before);
    const forced = await p.http(
      "/api/v1/catalog/parameters/stoploss?force_reason=tighten%20risk%20after%20incident",
      send("PUT", tighten),
    );
    expect(forced.status).toBe(200);
    expect((await p.http("/api/v1/catalog/revisions")).body.items[0]).toMatchObject({
      revision: 5,
      forced_reason: "tighten risk after incident",
    });
  });

  it("deprecating a parameter: configs using it are refused naming the replacement", async () => {
    const dep = await p.http(
      "/api/v1/catalog/parameters/roi_target/deprecate?force_reason=migrating",
      send("POST", { replacement: "take_profit", reason: "was silently overridden" }),
    );
    expect(dep.status).toBe(200);
    expect(dep.body.parameter).toMatchObject({ deprecated: true, replacement: "take_profit" });
    const res = await createConfig("StochRsiStrategy", { roi_target: 0.2 });
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({
      field: "config_data.roi_target",
      message: expect.stringMatching(/deprecated; use take_profit instead/),
    });
  });

  it("strict policy refuses unknown keys; open accepts them", async () => {
    expect((await createConfig("StrictOne", { typo: 1 })).status).toBe(201);
    const set = await p.http("/api/v1/catalog/policies/StrictOne", send("PUT", { policy: "strict" }));
    expect(set.body).toMatchObject({ changed: true });
    const res = await createConfig("StrictOne", { stoplos: -0.02 });
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({
      field: "config_data.stoplos",
      message: expect.stringMatching(/policy is strict/),
    });
    expect((await p.http("/api/v1/catalog")).body.policies).toMatchObject({ StrictOne: "strict" });
  });

  it("identical content is refused when the catalog now refuses it, even though it was stored before", async () => {
    const stillValid = await createConfig("StochRsiStrategy", { timeframe: "1h", stoploss: -0.02, stake_amount: 150 });
    expect(stillValid.status).toBe(200); // deduplicated: -0.02 is within the tightened bound
    const stored = await createConfig("StochRsiStrategy", { stoploss: -0.04 });
    expect(stored.status).toBe(422);
    expect(stored.body.errors[0]).toMatchObject({ field: "config_data.stoploss", message: "must be at least -0.03" });
  });

  it("diffs two revisions", async () => {
    const diff = await p.http("/api/v1/catalog/revisions/1/diff/5");
    expect(Object.keys(diff.body.added).sort()).toEqual([
      "parameter:risk.max_positions",
      "parameter:roi_target",
      "parameter:take_profit",
    ]);
    expect(diff.body.changed["parameter:stoploss"]).toMatchObject({ old: { min: -0.5 }, new: { min: -0.03 } });
    expect((await p.http("/api/v1/catalog/revisions/0/diff/99")).status).toBe(422);
  });

  describe("bad definitions: 422 naming the field, catalog unchanged", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["min > max", { name: "a_x", type: "number", min: 2, max: 1, description: "d" }, "min"],
      ["default outside bounds", { name: "a_x", type: "int", min: 0, max: 5, default: 9, description: "d" }, "default"],
      ["default not allowed", { name: "a_x", type: "enum", allowed: ["a"], default: "b", description: "d" }, "default"],
      ["duplicate name", { name: "stoploss", type: "number", description: "d" }, "name"],
      ["enum without values", { name: "a_x", type: "enum", description: "d" }, "allowed"],
      ["name outside the pattern", { name: "Bad-Name", type: "number", description: "d" }, "name"],
      ["unknown type", { name: "a_x", type: "decimal", description: "d" }, "type"],
      ["name clashing with a group", { name: "risk", type: "json", description: "d" }, "name"],
      [
        "replacement that does not exist",
        { name: "a_x", type: "number", description: "d", deprecated: true, replacement: "nope" },
        "replacement",
      ],
    ];
    for (const [what, body, field] of cases) {
      it(what, async () => {
        const before = await catalogState();
        const res = await p.http("/api/v1/catalog", send("POST", body));
        expect(res.status, JSON.stringify(res.body)).toBe(422);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
        expect(await catalogState()).toEqual(before);
      });
    }
    it("an update whose body names another parameter", async () => {
      const res = await p.http(
        "/api/v1/catalog/parameters/stoploss",
        send("PUT", { name: "take_profit", type: "number", description: "d" }),
      );
      expect(res.status).toBe(422);
    });
  });

  it("catalog history cannot be rewritten (direct SQL)", async () => {
    await expect(p.db.query("UPDATE catalog_revisions SET created_by = 'x'")).rejects.toThrow(/append-only/);
    await expect(p.db.query("DELETE FROM catalog_changes")).rejects.toThrow(/append-only/);
    await expect(p.db.query("UPDATE config_versions SET catalog_revision = 1")).rejects.toThrow(/immutable/);
  });
});
