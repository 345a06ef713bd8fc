/**
 * @module Demo data for `npm start` on an empty database: a strategy with a few versions and
 * different ones active per environment, so every screen and command has something to show.
 */
import type { Database } from "../db/database.js";
import type { CatalogService } from "../features/catalog/service.js";
import type { ConfigService } from "../features/configs/service.js";
import { DEMO_PARAMETERS, DEMO_RULES } from "./demo-catalog.js";

const DEMO_STRATEGY = "MeanReversionDemo";
const DEMO_ACTOR = "demo-data";

/** Loads the demo when no strategy and no catalog exist yet; returns whether it did. */
export async function loadDemoData(db: Database, configs: ConfigService, catalog: CatalogService): Promise<boolean> {
  const { rows } = await db.query("SELECT 1 FROM strategies UNION ALL SELECT 1 FROM catalog_revisions LIMIT 1");
  if (rows.length > 0) return false;
  for (const parameter of DEMO_PARAMETERS) await catalog.create(parameter, DEMO_ACTOR);
  for (const rule of DEMO_RULES) await catalog.saveRule(rule, DEMO_ACTOR);
  const base = { timeframe: "15m", stoploss: -0.04, minimal_roi: { "0": 0.03, "60": 0.01 }, stake_amount: 200 };
  const v1 = await configs.create(
    { strategy_name: DEMO_STRATEGY, config_data: base, description: "initial parameters" },
    DEMO_ACTOR,
  );
  const v2 = await configs.create(
    { strategy_name: DEMO_STRATEGY, config_data: { ...base, stoploss: -0.03 }, description: "tighter stoploss" },
    DEMO_ACTOR,
  );
  const v3 = await configs.create(
    {
      strategy_name: DEMO_STRATEGY,
      config_data: { ...base, stoploss: -0.03, timeframe: "1h" },
      description: "hourly candles, under evaluation",
    },
    DEMO_ACTOR,
  );
  await configs.activate(DEMO_STRATEGY, v1.version.config_id, DEMO_ACTOR, "prod");
  await configs.activate(DEMO_STRATEGY, v2.version.config_id, DEMO_ACTOR, "staging");
  await configs.activate(DEMO_STRATEGY, v2.version.config_id, DEMO_ACTOR, "dev");
  await configs.activate(DEMO_STRATEGY, v3.version.config_id, DEMO_ACTOR, "dev");
  return true;
}
