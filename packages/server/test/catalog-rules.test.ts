/** Coherence rules (CEL) in the catalog: refused when unusable, enforced on config versions. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

const send = (method: string, body?: unknown): RequestInit => ({
  method,
  ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
});

describe(`catalog coherence rules (${backend})`, () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
    for (const parameter of [
      { name: "stoploss", type: "number", min: -1, max: 0, description: "Stop loss" },
      { name: "take_profit", type: "number", min: 0, max: 1, description: "Take profit" },
      { name: "risk.max_exposure", type: "number", min: 0, max: 1, description: "Exposure cap" },
      { name: "risk.max_position", type: "number", min: 0, max: 1, description: "Position cap" },
    ]) {
      expect((await p.http("/api/v1/catalog", send("POST", parameter))).status).toBe(201);
    }
  });
  afterAll(() => p.close());

  const createConfig = (data: unknown) =>
    p.http("/api/v1/configs", postJson(JSON.stringify({ strategy_name: "S", config_data: data })));
  const revisionCount = async () => (await p.http("/api/v1/catalog/revisions")).body.items.length;

  it("saves rules as catalog revisions", async () => {
    const a = await p.http(
      "/api/v1/catalog/rules",
      send("POST", {
        name: "take_profit_beyond_stoploss",
        expression: "take_profit > -stoploss",
        message: "take profit must exceed the stop-loss distance",
      }),
    );
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ revision: 5, changed: true });
    await p.http(
      "/api/v1/catalog/rules",
      send("POST", {
        name: "position_within_exposure",
        expression: "risk.max_position <= risk.max_exposure",
        message: "a position cannot exceed total exposure",
      }),
    );
    const rules = await p.http("/api/v1/catalog/rules");
    expect(rules.body.items.map((r: { name: string }) => r.name)).toEqual([
      "position_within_exposure",
      "take_profit_beyond_stoploss",
    ]);
  });

  it("a config violating a rule cannot be created; the error names the rule and its message; nothing stored", async () => {
    const res = await createConfig({ stoploss: -0.05, take_profit: 0.03 });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        field: "config_data",
        location: "body",
        message: "rule take_profit_beyond_stoploss violated: take profit must exceed the stop-loss distance",
      },
    ]);
    const nested = await createConfig({ risk: { max_position: 0.5, max_exposure: 0.2 } });
    expect(nested.body.errors[0].message).toMatch(/rule position_within_exposure violated/);
    expect((await p.db.query("SELECT 1 FROM config_versions")).rows).toEqual([]);
  });

  it("a config satisfying the rules, or lacking what a rule reads, is accepted", async () => {
    expect((await createConfig({ stoploss: -0.02, take_profit: 0.03 })).status).toBe(201);
    expect((await createConfig({ stoploss: -0.02 })).status).toBe(201);
  });

  it("refuses a rule that does not parse or names an unknown parameter, catalog unchanged", async () => {
    const before = await revisionCount();
    const broken = await p.http(
      "/api/v1/catalog/rules",
      send("POST", { name: "broken", expression: "take_profit > ", message: "m" }),
    );
    expect(broken.status).toBe(422);
    expect(broken.body.errors[0]).toMatchObject({
      field: "expression",
      message: expect.stringMatching(/does not parse/),
    });
    const unknown = await p.http(
      "/api/v1/catalog/rules",
      send("POST", { name: "unknown_param", expression: "take_proft > 0.0", message: "m" }),
    );
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].message).toMatch(/unknown parameter "take_proft"/);
    const badName = await p.http(
      "/api/v1/catalog/rules",
      send("POST", { name: "Bad Name", expression: "take_profit > 0.0", message: "m" }),
    );
    expect(badName.status).toBe(422);
    expect(await revisionCount()).toBe(before);
  });

  it("a rule that active versions would violate is refused with 409 unless forced", async () => {
    const v = await createConfig({ stoploss: -0.02, take_profit: 0.5 });
    await p.api.activate("S", v.body.config_id);
    const rule = {
      name: "take_profit_cap",
      expression: "take_profit <= 0.2",
      message: "take profit above 20% is not credible",
    };
    const refused = await p.http("/api/v1/catalog/rules", send("POST", rule));
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(new RegExp(`S/dev/${v.body.config_id}.*take_profit_cap`));
    const forced = await p.http("/api/v1/catalog/rules?force_reason=cap%20agreed%20with%20risk", send("POST", rule));
    expect(forced.status).toBe(200);
  });

  it("removing a rule is a revision too", async () => {
    const before = await revisionCount();
    expect((await p.http("/api/v1/catalog/rules/take_profit_cap", send("DELETE"))).status).toBe(200);
    expect(await revisionCount()).toBe(before + 1);
    expect((await p.http("/api/v1/catalog/rules/take_profit_cap", send("DELETE"))).status).toBe(404);
    const diff = await p.http(`/api/v1/catalog/revisions/${before}/diff/${before + 1}`);
    expect(Object.keys(diff.body.removed)).toEqual(["rule:take_profit_cap"]);
  });
});
