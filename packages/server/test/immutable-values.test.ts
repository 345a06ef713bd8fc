/**
 * Immutable values held on every layer (issue 26, item 6): once an immutable parameter's value was
 * served in an environment (a worker applied it, a worker ran it, a run used it), no governed change
 * may alter that environment's resolved value of it, whichever layer tries: a version, a promotion,
 * a rollback, base values, a catalog default. The refusal is a 409 naming the key, its value and the
 * layer, and leaves nothing behind. Where it was never served, it may still change.
 */
import { ApiProblemError } from "@tradai/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { SEED_BACKTEST } from "../../../test-support/backtest-requests.js";
import { postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

const S = "Imm";

describe(`immutable values (${backend})`, () => {
  let p: TestPlatform;
  let token: string;
  const version = async (data: Record<string, unknown>) =>
    (await p.api.createConfig({ strategy_name: S, config_data: data })).config_id;
  const resolved = (environment: string) => p.api.resolve(S, { environment });
  const auditCount = async () => (await p.api.listAudit({ limit: 1 })).total;
  const heartbeat = (worker: string, environment: string, body: Record<string, unknown>) =>
    p.http(`/api/v1/workers/${worker}/heartbeat`, {
      ...postJson(JSON.stringify({ environment, applied: [], ...body })),
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
  /** The refusal: 409 naming the key, the value served, and the layer that tried; nothing written. */
  const refused = async (attempt: () => Promise<unknown>, layer: RegExp, environments: string[], value = "USDT") => {
    const [audit, before] = [await auditCount(), await Promise.all(environments.map(resolved))];
    const error = await attempt().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiProblemError);
    const problem = (error as ApiProblemError).problem;
    expect(problem.status).toBe(409);
    expect(problem.errors?.map((e) => e.field)).toEqual(environments.map(() => "base_currency"));
    for (const environment of environments)
      expect(problem.detail).toContain(`${S} in ${environment} was served base_currency = "${value}"`);
    expect(problem.detail).toMatch(layer);
    expect(await auditCount()).toBe(audit);
    expect((await Promise.all(environments.map(resolved))).map((r) => r.resolved_hash)).toEqual(
      before.map((r) => r.resolved_hash),
    );
  };

  beforeAll(async () => {
    p = await startTestPlatform();
    ({ token } = await p.api.createToken({ name: "imm-workers", roles: ["worker"] }));
    await p.api.createParameter({
      name: "base_currency",
      type: "string",
      description: "Quote currency of every pair",
      default: "USDT",
      immutable: true,
      strategies: [S],
    });
    await p.api.createParameter({
      name: "stoploss",
      type: "number",
      min: -0.5,
      max: -0.001,
      description: "Stop",
      reload: "hot",
      strategies: [S],
    });
    // prod ran BTC before: a rollback would take it back there.
    await p.activateApproved(S, await version({ stoploss: -0.05, base_currency: "BTC" }), "prod");
    const v1 = await version({ stoploss: -0.05 });
    for (const environment of ["dev", "staging", "prod"]) await p.activateApproved(S, v1, environment);
    // Served in staging: a paper worker applied it (its session's history).
    const staging = await resolved("staging");
    expect(
      (
        await heartbeat("imm-paper", "staging", {
          process: { instance: "imm-paper-1", mode: "paper" },
          applies: [
            {
              strategy: S,
              seq: 1,
              config_version_id: v1,
              resolved_hash: staging.resolved_hash,
              values: staging.values,
              applied_at: new Date().toISOString(),
              boundary: "start",
              latency_ms: null,
            },
          ],
        })
      ).status,
    ).toBe(204);
    // Served in prod: a worker reported running its resolved config.
    const prod = await resolved("prod");
    expect(
      (
        await heartbeat("imm-live", "prod", {
          applied: [
            {
              strategy: S,
              config_version_id: v1,
              resolved_hash: prod.resolved_hash,
              applied_at: new Date().toISOString(),
            },
          ],
        })
      ).status,
    ).toBe(204);
  });
  afterAll(async () => {
    await p?.close();
  });

  it("a version activated where the value was served: 409 (config_version layer)", async () => {
    const eur = await version({ stoploss: -0.05, base_currency: "EUR" });
    await refused(() => p.api.activate(S, eur, { environment: "staging" }), /layer config_version/, ["staging"]);
  });

  it("an environment where it was never served may change it; promoting that version where it was served: 409", async () => {
    const eur = await version({ stoploss: -0.04, base_currency: "EUR" });
    await p.api.activate(S, eur, { environment: "dev" });
    expect((await resolved("dev")).values.base_currency).toBe("EUR");
    await refused(
      () => p.api.promote(S, eur, { from: "dev", to: "staging" }),
      /promot.*layer config_version|layer config_version/,
      ["staging"],
    );
  });

  it("base values where it was served: 409 (environment_base layer); elsewhere they apply", async () => {
    await refused(() => p.api.putEnvironmentBase("staging", { base_currency: "EUR" }), /layer environment_base/, [
      "staging",
    ]);
    // A base value equal to the one served changes nothing that matters: it applies.
    await p.approved(p.api.putEnvironmentBase("staging", { base_currency: "USDT" }));
    expect((await resolved("staging")).provenance?.base_currency?.layer ?? "environment_base").toBe("environment_base");
    await p.approved(p.api.putEnvironmentBase("staging", {}));
  });

  it("a catalog default edit: 409 naming every environment where the default was served (catalog_default layer)", async () => {
    const { parameter } = await p.api.getParameter("base_currency");
    await refused(() => p.api.updateParameter({ ...parameter, default: "BTC" }), /layer catalog_default/, [
      "prod",
      "staging",
    ]);
    // Dropping the immutable flag in the same change does not get around it.
    await refused(
      () => p.api.updateParameter({ ...parameter, default: "BTC", immutable: false }),
      /layer catalog_default/,
      ["prod", "staging"],
    );
  });

  it("a rollback to a version with another value: 409", async () => {
    await refused(() => p.api.rollback(S, { environment: "prod" }), /layer config_version/, ["prod"]);
  });

  it("a run that used the value makes it served: after a backtest in dev, a change there is refused", async () => {
    expect((await resolved("dev")).values.base_currency).toBe("EUR"); // changed there above: it was never served
    const { job_id } = await p.api.submitBacktest(
      {
        config: {
          ...SEED_BACKTEST,
          strategy: S,
          config_version_id: "ACTIVE",
          task_definition: "tradai-strategy-stochrsi",
        },
      },
      { environment: "dev" },
    );
    const gbp = await version({ stoploss: -0.04, base_currency: "GBP" });
    await refused(
      () => p.api.activate(S, gbp, { environment: "dev" }),
      new RegExp(`backtest run ${job_id}`),
      ["dev"],
      "EUR",
    );
  });
});
