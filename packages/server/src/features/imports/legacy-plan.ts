/**
 * @module What legacy rows become: one version per distinct content (content-addressed: a row equal
 * to an earlier one, a revert, maps to that row's version; one equal to a version the platform
 * already has maps to it), numbered in the order of the history, and the newest row active in the
 * environment. Every row passes the catalog, as any version does. Reads only: a dry run is this.
 */
import {
  type ArrangedRow,
  canonicalJson,
  contentHash,
  type Disagreement,
  formatConfigId,
  type ImportInconsistency,
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

/** A legacy row; from the config-versions registry, with its id, status and successor. */
export type SourceRow = LegacyRow & Partial<ArrangedRow>;

export interface PlannedRow extends SourceRow {
  row: number | "current";
  hash: string;
  canonical: string;
}

/** What one strategy's import is made of, whatever legacy source it was read from. */
export interface RowsToImport {
  kind: ImportPlan["kind"];
  strategy: string;
  source: string;
  /** oldest first */
  history: SourceRow[];
  /** the newest state (the live row), if the source has one */
  current: SourceRow | null;
  /** the last row (current, else the newest of the history) becomes active in the environment */
  activates: boolean;
  disagreements: Disagreement[];
  inconsistencies: ImportInconsistency[];
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

/** A legacy-db import: the history and the live row reconciled with the other sources. */
export function legacyDbRows(body: LegacyDbImportBody): RowsToImport {
  const { current, disagreements } = reconciledCurrent(body);
  return {
    kind: "legacy-db",
    strategy: body.strategy,
    source: body.source,
    history: body.history,
    current,
    activates: true,
    disagreements,
    inconsistencies: [],
  };
}

/** The rows in order: the history oldest first, then the current row. */
export function plannedRows(input: RowsToImport): PlannedRow[] {
  const all: (SourceRow & { row: number | "current" })[] = [
    ...input.history.map((r, i) => ({ ...r, row: i + 1 })),
    ...(input.current ? [{ ...input.current, row: "current" as const }] : []),
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
    throw InvalidInputError.of(errors);
  }
  const revision = await catalogStore(q).currentRevision();
  return revision === 0 ? null : revision;
}

export function planLegacyImport(q: Queryable, body: LegacyDbImportBody, environment: string): Promise<LegacyPlan> {
  return planRows(q, legacyDbRows(body), environment);
}

/**
 * Numbers the new versions after the strategy's last: a registry item whose id is consistent keeps
 * its number (so its id) where that number is still free.
 */
export async function planRows(q: Queryable, input: RowsToImport, environment: string): Promise<LegacyPlan> {
  const rows = plannedRows(input);
  if (rows.length === 0) {
    throw InvalidInputError.field("body", "history", "no rows to import: give the history, the current row, or both");
  }
  const catalogRevision = await validateRows(q, input.strategy, rows);
  const store = configStore(q);
  const { rows: known } = await q.query<{ last_version_number: number }>(
    "SELECT last_version_number FROM strategies WHERE name = $1",
    [input.strategy],
  );
  let next = (known[0]?.last_version_number ?? 0) + 1;
  const byHash = new Map<string, { config_id: string; row: number | "current" }>();
  const steps: ImportStep[] = [];
  let created = 0;
  // Numbers kept by consistent legacy ids are reserved; the other new versions take free ones, so a
  // row without a kept id never takes the number a later row keeps (writes go in number order).
  const floor = next;
  const reserved = new Set(rows.flatMap((r) => (r.wanted_number && r.wanted_number >= floor ? [r.wanted_number] : [])));
  const used = new Set<number>();
  const freeNumber = () => {
    while (reserved.has(next) || used.has(next)) next += 1;
    return next;
  };
  for (const r of rows) {
    const legacy = {
      author: r.author ?? null,
      time: r.time ?? null,
      comment: r.comment ?? null,
      ...(input.kind === "config-versions"
        ? { legacy_id: r.legacy_id ?? null, legacy_status: r.legacy_status ?? null }
        : {}),
    };
    const seen = byHash.get(r.hash);
    if (seen) {
      steps.push({ row: r.row, action: "same_as_row", config_id: seen.config_id, of_row: seen.row, ...legacy });
      continue;
    }
    const existing = await store.findLiveByHash(input.strategy, r.hash);
    let config_id = existing?.config_id;
    if (!config_id) {
      const kept = r.wanted_number && r.wanted_number >= floor && !used.has(r.wanted_number);
      const number = kept ? (r.wanted_number as number) : freeNumber();
      used.add(number);
      config_id = formatConfigId(number, r.hash);
      created += 1;
    }
    byHash.set(r.hash, { config_id, row: r.row });
    steps.push({ row: r.row, action: existing ? "existing" : "create", config_id, of_row: null, ...legacy });
  }
  if (input.kind === "config-versions") {
    // The registry's superseded chains, in the ids they have here.
    // An id the registry holds twice names its first item (the one that may keep it).
    const ours = new Map<string, string | undefined>();
    rows.forEach((r, i) => {
      if (r.legacy_id && !ours.has(r.legacy_id)) ours.set(r.legacy_id, steps[i]?.config_id);
    });
    rows.forEach((r, i) => {
      (steps[i] as ImportStep).superseded_by = r.superseded_by_legacy
        ? (ours.get(r.superseded_by_legacy) ?? null)
        : null;
    });
  }
  const active = await store.openActivation(input.strategy, environment);
  const newest = input.activates ? (steps.at(-1) as ImportStep) : null;
  const action = !newest ? "none" : active?.config_id === newest.config_id ? "already_active" : "activate";
  const disagreeing =
    input.disagreements.length > 0
      ? `; ${input.disagreements.length} key(s) where the live row, the baseline file and the pod environment disagree, taken as listed`
      : "";
  const inconsistent =
    input.inconsistencies.length > 0
      ? `; ${input.inconsistencies.length} inconsistenc(ies) in the registry, listed`
      : "";
  const kept = steps.filter((s) => s.action === "create" && s.legacy_id === s.config_id).length;
  const keptIds = input.kind === "config-versions" ? ` (${kept} keeping their legacy id)` : "";
  const unchanged = created === 0 && action !== "activate";
  const what =
    action === "activate"
      ? `; ${newest?.config_id} becomes active in ${environment}${active ? ` (was ${active.config_id})` : ""}`
      : action === "already_active"
        ? `; ${newest?.config_id} stays active in ${environment}`
        : `; nothing becomes active in ${environment}`;
  return {
    rows,
    catalogRevision,
    plan: {
      import_id: null,
      kind: input.kind,
      outcome: unchanged ? "unchanged" : "planned",
      strategy: input.strategy,
      environment,
      source: input.source,
      steps,
      versions_created: created,
      activation: { action, config_id: newest?.config_id ?? null, previous: active?.config_id ?? null },
      superset: { rows: rows.length, keys: input.activates ? Object.keys(rows.at(-1)?.values ?? {}).length : 0 },
      change_request_id: null,
      inconsistencies: input.inconsistencies,
      disagreements: input.disagreements,
      summary: unchanged
        ? `nothing to change: the ${rows.length} legacy row(s) are versions of ${input.strategy} already${what}`
        : `${created} new version(s) of ${input.strategy}${keptIds} from ${rows.length} legacy row(s)${what}${disagreeing}${inconsistent}`,
    },
  };
}
