/**
 * @module Demo data for `npm start` on an empty database: a strategy with a few versions and
 * different ones active per environment, a prod activation that went through four-eyes approval,
 * and a promotion to prod waiting for approval, so every screen and command has something to show.
 */
import type { Actor } from "../changes/actor.js";
import type { ActivationService } from "../features/activation/service.js";
import type { CatalogService } from "../features/catalog/service.js";
import type { ChangeRequestService } from "../features/change-requests/service.js";
import type { ConfigService } from "../features/configs/service.js";
import { DEMO_PARAMETERS, DEMO_RULES } from "./demo-catalog.js";

const DEMO_STRATEGY = "MeanReversionDemo";
/** The demo's two people: one proposes, the other approves (four eyes count people). */
const demoPerson = (name: string): Actor => ({
  name,
  kind: "system",
  roles: ["admin"],
  environments: null,
  person: name,
  requestId: null,
  clientAddress: null,
});
const author = demoPerson("demo-data");
const reviewer = demoPerson("demo-reviewer");

export interface DemoServices {
  configs: ConfigService;
  catalog: CatalogService;
  activation: ActivationService;
  changeRequests: ChangeRequestService;
}

/** Loads the demo into a database on its first start (after the catalog preset, if one is loaded). */
export async function loadDemoData({ configs, catalog, activation, changeRequests }: DemoServices): Promise<boolean> {
  // Names the preset loaded (timeframe, stoploss, stake_amount, fee) are one parameter for every
  // strategy: the demo's narrower definitions replace the preset's there, and MeanReversionDemo's
  // values are checked by them. Without the preset they describe StochRsiStrategy only.
  const preset = new Set((await catalog.list({})).items.map((i) => i.parameter.name));
  for (const parameter of DEMO_PARAMETERS) {
    if (preset.has(parameter.name)) await catalog.update(parameter.name, { ...parameter, strategies: [] }, author);
    else await catalog.create(parameter, author);
  }
  for (const rule of DEMO_RULES) await catalog.saveRule(rule, author);
  const base = { timeframe: "15m", stoploss: -0.04, minimal_roi: { "0": 0.03, "60": 0.01 }, stake_amount: 200 };
  const create = async (config_data: Record<string, unknown>, description: string) =>
    (await configs.create({ strategy_name: DEMO_STRATEGY, config_data, description }, author)).version.config_id;
  const v1 = await create(base, "initial parameters");
  const v2 = await create({ ...base, stoploss: -0.03 }, "tighter stoploss");
  const v3 = await create({ ...base, stoploss: -0.03, timeframe: "1h" }, "hourly candles, under evaluation");
  // Where approval is needed (prod; critical parameters anywhere): proposed by one, approved by another.
  const activate = async (configId: string, environment: string) => {
    const outcome = await activation.request({ strategy: DEMO_STRATEGY, configId, environment, actor: author });
    if (outcome.outcome === "change_request")
      await changeRequests.approve(outcome.change_request_id, reviewer, "demo: reviewed", undefined);
  };
  await activate(v1, "prod");
  await activate(v2, "staging");
  await activate(v2, "dev");
  await activate(v3, "dev");
  // Left pending, for the console and `tradai change-request list`.
  await activation.request({
    strategy: DEMO_STRATEGY,
    configId: v2,
    environment: "prod",
    from: "staging",
    actor: author,
  });
  return true;
}
