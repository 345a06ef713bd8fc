/**
 * @module Catalog presets (`TRADAI_CATALOG_PRESET`, default `freqtrade`): loaded once, on the first
 * start of an empty database, through the catalog service (each parameter audited as the change of
 * `catalog-preset`). `tradai catalog import --preset` adds one to a catalog that has a history.
 */
import { CATALOG_PRESETS } from "@tradai/core";
import { systemActor } from "../../changes/actor.js";
import type { Queryable } from "../../db/database.js";
import type { CatalogService } from "./service.js";

/** Whether the database has neither a strategy nor a catalog revision: a first start. */
export async function isFirstStart(db: Queryable): Promise<boolean> {
  const { rows } = await db.query("SELECT 1 FROM strategies UNION ALL SELECT 1 FROM catalog_revisions LIMIT 1");
  return rows.length === 0;
}

/** Creates the preset's parameters; returns how many. */
export async function loadCatalogPreset(catalog: CatalogService, name: keyof typeof CATALOG_PRESETS): Promise<number> {
  const preset = CATALOG_PRESETS[name];
  if (!preset) throw new Error(`no catalog preset ${name} (presets: ${Object.keys(CATALOG_PRESETS).join(", ")})`);
  const actor = systemActor("catalog-preset");
  for (const parameter of preset) {
    const outcome = await catalog.create(parameter, actor);
    // An empty database has no active version a parameter could break, and nothing to approve.
    if (outcome.outcome !== "applied") throw new Error(`the ${name} preset's ${parameter.name} was not applied`);
  }
  return preset.length;
}
