/**
 * @module What legacy rows become: one version per distinct content (content-addressed: a row equal
 * to an earlier one, a revert, maps to that row's version; one equal to a version the platform
 * already has maps to it), numbered in the order of the history, and the newest row active in the
 * environment. Every row passes the catalog, as any version does. Reads only: a dry run is this.
 */
import {
  canonicalJson,
  contentHash,
  type Disagreement,
  formatConfigId,
  type ImportPlan,
  type ImportStep,
  type JsonValue,
  type LegacyDbImportBody,
  type LegacyRow,
  reconcileSources,
} from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { InvalidInputError } from "../../http/errors.js";
import { configProblems, loadState } from "../catalog/state.js";
import { catalogStore } from "../catalog/store.js";
import { configStore } from "../configs/store.js";

export interface PlannedRow extends LegacyRow {
  row: number | "current";
  hash: string;
  canonical: string;
}

export interface LegacyPlan {
  plan: ImportPlan;
  /** the rows in order, with their content's hash */
  rows: PlannedRow[];
  catalogRevision: number | null;
}

/**
 * The live row reconciled with the baseline file and the pod environment, where given: each key
 * where they disagree as the operator chose (else as the old rules served it).
 */
export function reconciledCurrent(body: LegacyDbImportBody): {
  current: LegacyRow | null;
  disagreements: Disagreement[];
} {
  if (body.baseline === undefined && body.pod_env === undefined)
    return { current: body.current ?? null, disagreements: [] };
  const { disagreements, values } = reconcileSources({
    db: body.current?.values ?? {},
    file: body.baseline,
    env: body.pod_env,
    prefer: body.prefer,
    choices: body.choices,
  });
  return { current: { ...(body.current ?? {}), values }, disagreements };
}

/** The rows in order: the history oldest first, then the live row (reconciled). */
export function legacyRows(body: LegacyDbImportBody): PlannedRow[] {
  const { current } = reconciledCurrent(body);
  const all: (LegacyRow & { row: number | "current" })[] = [
    ...body.history.map((r, i) => ({ ...r, row: i + 1 })),
    ...(current ? [{ ...current, row: "current" as const }] : []),
  ];
  return all.map((r) => ({
    ...r,
    hash: contentHash(r.values as JsonValue),
    canonical: canonicalJson(r.values as JsonValue),
  }));
}

const fieldOf = (row: number | "current") => (row === "current" ? "current" : `history[${row - 1}]`);

/** Each distinct content passes the catalog (read once); a refusal names the row and the field. */
async function validateRows(q: Queryable, strategy: string, rows: PlannedRow[]): Promise<number | null> {
  const state = await loadState(q);
  const checked = new Set<string>();
  for (const r of rows) {
    if (checked.has(r.hash)) continue;
    checked.add(r.hash);
    const problems = configProblems(state, strategy, r.values);
    if (problems.length === 0) continue;
    const errors = problems.map((e) => ({
      location: "body" as const,
      field: `${fieldOf(r.row)}.values${e.field.replace(/^config_data/, "")}`,
      message: e.message,
    }));
    throw new InvalidInputError(errors.map((e) => `${e.field}: ${e.message}`).join("; "), errors);
  }
  const revision = await catalogStore(q).currentRevision();
  return revision === 0 ? null : revision;
}

export async function planLegacyImport(
  q: Queryable,
  body: LegacyDbImportBody,
  environment: string,
): Promise<LegacyPlan> {
  const rows = legacyRows(body);
  if (rows.length === 0) {
    throw InvalidInputError.field("body", "history", "no rows to import: give the history, the current row, or both");
  }
  const catalogRevision = await validateRows(q, body.strategy, rows);
  const store = configStore(q);
  const { rows: known } = await q.query<{ last_version_number: number }>(
    "SELECT last_version_number FROM strategies WHERE name = $1",
    [body.strategy],
  );
  let next = (known[0]?.last_version_number ?? 0) + 1;
  const byHash = new Map<string, { config_id: string; row: number | "current" }>();
  const steps: ImportStep[] = [];
  let created = 0;
  for (const r of rows) {
    const legacy = { author: r.author ?? null, time: r.time ?? null, comment: r.comment ?? null };
    const seen = byHash.get(r.hash);
    if (seen) {
      steps.push({ row: r.row, action: "same_as_row", config_id: seen.config_id, of_row: seen.row, ...legacy });
      continue;
    }
    const existing = await store.findLiveByHash(body.strategy, r.hash);
    const config_id = existing ? existing.config_id : formatConfigId(next++, r.hash);
    if (!existing) created += 1;
    byHash.set(r.hash, { config_id, row: r.row });
    steps.push({ row: r.row, action: existing ? "existing" : "create", config_id, of_row: null, ...legacy });
  }
  const newest = steps.at(-1) as ImportStep;
  const active = await store.openActivation(body.strategy, environment);
  const action = active?.config_id === newest.config_id ? "already_active" : "activate";
  const { disagreements } = reconciledCurrent(body);
  const disagreeing =
    disagreements.length > 0
      ? `; ${disagreements.length} key(s) where the live row, the baseline file and the pod environment disagree, taken as listed`
      : "";
  const unchanged = created === 0 && action === "already_active";
  return {
    rows,
    catalogRevision,
    plan: {
      import_id: null,
      kind: "legacy-db",
      outcome: unchanged ? "unchanged" : "planned",
      strategy: body.strategy,
      environment,
      source: body.source,
      steps,
      versions_created: created,
      activation: { action, config_id: newest.config_id, previous: active?.config_id ?? null },
      superset: { rows: rows.length, keys: Object.keys(rows.at(-1)?.values ?? {}).length },
      change_request_id: null,
      disagreements,
      summary: unchanged
        ? `nothing to change: the ${rows.length} legacy row(s) are versions of ${body.strategy} already, ${newest.config_id} is active in ${environment}`
        : `${created} new version(s) of ${body.strategy} from ${rows.length} legacy row(s)` +
          (action === "activate"
            ? `; ${newest.config_id} becomes active in ${environment}${active ? ` (was ${active.config_id})` : ""}`
            : `; ${newest.config_id} stays active in ${environment}`) +
          disagreeing,
    },
  };
}
