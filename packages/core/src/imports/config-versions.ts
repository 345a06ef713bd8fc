/**
 * @module The legacy config-versions registry (DynamoDB items of seed 001's ConfigVersion) and the
 * strategies' YAML files (`tradai-configs-{env}`), arranged per strategy as import rows: the items in
 * version order, then the content that becomes active (the ACTIVE item, or the file the legacy loader
 * served). Ids, hashes and statuses are checked against each other; what does not add up is
 * reported, and an id is kept only where it is consistent. Pure: the server plans from this.
 */
import { canonicalJson, contentHash } from "../canonical/canonical-json.js";
import type { JsonValue } from "../canonical/strict-json.js";
import { formatConfigId } from "../configs/config-id.js";
import type {
  ConfigVersionsImportBody,
  ImportInconsistency,
  LegacyConfigFile,
  LegacyConfigVersion,
  LegacyRow,
} from "./schemas.js";

export interface ArrangedRow extends LegacyRow {
  legacy_id: string | null;
  legacy_status: string | null;
  /** the legacy version number, where its id is consistent and may be kept as the config id */
  wanted_number: number | null;
  /** the legacy id of the item that replaced it */
  superseded_by_legacy: string | null;
}

export interface ArrangedStrategy {
  strategy: string;
  /** the registry's items by version number, then the file where it is not what becomes active */
  history: ArrangedRow[];
  /** what becomes active in the environment, if anything */
  current: ArrangedRow | null;
  inconsistencies: ImportInconsistency[];
}

const timeOf = (iso: string | null | undefined) => (iso ? Date.parse(iso) : Number.NEGATIVE_INFINITY);

function commentOf(item: LegacyConfigVersion): string {
  const parts = [`${item.config_id}: ${item.status} in the legacy registry`];
  if (item.deployed_at) parts.push(`deployed ${item.deployed_at}`);
  if (item.deprecated_at) parts.push(`deprecated ${item.deprecated_at}`);
  if (item.superseded_by) parts.push(`superseded by ${item.superseded_by}`);
  return parts.join(", ");
}

/** Checks one strategy's items against themselves: hashes, ids, the ACTIVE one, the superseded chains. */
function checkItems(items: LegacyConfigVersion[], report: (i: ImportInconsistency) => void) {
  const keptIds = new Set<string>();
  const takenNumbers = new Set<number>();
  const byHash = new Map<string, string>();
  const wanted = new Map<LegacyConfigVersion, number | null>();
  for (const item of items) {
    const hash = contentHash(item.config_data as JsonValue);
    const at = item.config_id;
    let consistent = true;
    if (item.config_hash && item.config_hash !== hash) {
      consistent = false;
      report({
        kind: "hash_mismatch",
        legacy_id: at,
        message: `${at}: its config_hash ${item.config_hash.slice(0, 12)}… is not the SHA-256 of its content's canonical JSON (${hash.slice(0, 12)}…); the content is kept, under a new id`,
      });
    }
    const expected = formatConfigId(item.version_number, item.config_hash ?? hash);
    if (item.config_id !== expected) {
      consistent = false;
      report({
        kind: "id_mismatch",
        legacy_id: at,
        message: `${at}: version ${item.version_number} with hash ${(item.config_hash ?? hash).slice(0, 8)} should be ${expected}; kept as provenance, under a new id`,
      });
    }
    if (keptIds.has(at) || takenNumbers.has(item.version_number)) {
      consistent = false;
      report({
        kind: "duplicate_id",
        legacy_id: at,
        message: `${at}: another item has this id or version number ${item.version_number}; its content is kept, under a new id`,
      });
    }
    const same = byHash.get(hash);
    if (same !== undefined) {
      report({
        kind: "duplicate_content",
        legacy_id: at,
        message: `${at} has the same content as ${same} (the registry should have deduplicated it): both become one version`,
      });
    } else byHash.set(hash, at);
    keptIds.add(at);
    takenNumbers.add(item.version_number);
    wanted.set(item, consistent && same === undefined ? item.version_number : null);
  }

  // An id held twice names its first item (the one that may keep it).
  const ids = new Map<string, LegacyConfigVersion>();
  for (const i of items) if (!ids.has(i.config_id)) ids.set(i.config_id, i);
  for (const item of items) {
    if (!item.superseded_by) continue;
    if (!ids.has(item.superseded_by)) {
      report({
        kind: "superseded_missing",
        legacy_id: item.config_id,
        message: `${item.config_id} is superseded by ${item.superseded_by}, which the registry does not have (expired, or never written)`,
      });
    }
    if (item.status !== "DEPRECATED") {
      report({
        kind: "superseded_not_deprecated",
        legacy_id: item.config_id,
        message: `${item.config_id} is ${item.status} yet superseded by ${item.superseded_by}`,
      });
    }
  }
  const reported = new Set<string>();
  for (const start of items) {
    const seen: string[] = [];
    let at: LegacyConfigVersion | undefined = start;
    while (at?.superseded_by && !seen.includes(at.config_id)) {
      seen.push(at.config_id);
      at = ids.get(at.superseded_by);
    }
    if (!at || !seen.includes(at.config_id)) continue;
    const cycle = seen.slice(seen.indexOf(at.config_id)).sort();
    const key = cycle.join(",");
    if (reported.has(key)) continue;
    reported.add(key);
    report({
      kind: "superseded_cycle",
      legacy_id: cycle[0] as string,
      message: `the superseded chain goes round: ${cycle.join(" → ")}; their order is taken from version numbers`,
    });
  }
  return wanted;
}

function activeItem(items: LegacyConfigVersion[], report: (i: ImportInconsistency) => void) {
  const active = items.filter((i) => i.status === "ACTIVE");
  if (active.length <= 1) return active[0] ?? null;
  const newest = [...active].sort(
    (a, b) => timeOf(b.deployed_at) - timeOf(a.deployed_at) || b.version_number - a.version_number,
  )[0] as LegacyConfigVersion;
  report({
    kind: "several_active",
    legacy_id: newest.config_id,
    message: `${active.length} items are ACTIVE (${active.map((i) => i.config_id).join(", ")}); the last deployed, ${newest.config_id}, is taken`,
  });
  return newest;
}

function fileRow(file: LegacyConfigFile): ArrangedRow {
  return {
    values: file.values,
    author: null,
    time: null,
    comment: `the legacy loader's file ${file.path}`,
    source_id: file.path,
    legacy_id: null,
    legacy_status: "FILE",
    wanted_number: null,
    superseded_by_legacy: null,
  };
}

/** Per strategy (by name), the rows to import and what becomes active; inconsistencies reported. */
export function arrangeConfigVersions(
  body: Pick<ConfigVersionsImportBody, "items" | "files" | "prefer">,
): ArrangedStrategy[] {
  const names = [...new Set([...body.items.map((i) => i.strategy_name), ...body.files.map((f) => f.strategy)])].sort();
  return names.map((strategy) => {
    const inconsistencies: ImportInconsistency[] = [];
    const report = (i: ImportInconsistency) => inconsistencies.push(i);
    const items = body.items
      .filter((i) => i.strategy_name === strategy)
      .sort((a, b) => a.version_number - b.version_number || timeOf(a.created_at) - timeOf(b.created_at));
    const wanted = checkItems(items, report);
    const history: ArrangedRow[] = items.map((item) => ({
      values: item.config_data,
      author: item.created_by ?? null,
      time: item.created_at ?? item.deployed_at ?? null,
      comment: commentOf(item),
      source_id: item.config_id,
      legacy_id: item.config_id,
      legacy_status: item.status,
      wanted_number: wanted.get(item) ?? null,
      superseded_by_legacy: item.superseded_by ?? null,
    }));
    const active = activeItem(items, report);
    const activeRow = active ? (history[items.indexOf(active)] as ArrangedRow) : null;
    const file = body.files.find((f) => f.strategy === strategy);
    let current = activeRow;
    if (file) {
      const differs =
        !activeRow || canonicalJson(file.values as JsonValue) !== canonicalJson(activeRow.values as JsonValue);
      if (activeRow && differs) {
        const takeFile = (body.prefer ?? "file") === "file";
        report({
          kind: "file_differs",
          legacy_id: activeRow.legacy_id,
          message: `${file.path} is not the content of the ACTIVE item ${activeRow.legacy_id}: the legacy loader served the file; ${takeFile ? "the file" : `${activeRow.legacy_id} (--prefer registry)`} becomes active, the other is kept as a version`,
        });
        if (takeFile) current = fileRow(file);
        else history.push(fileRow(file));
      } else if (!activeRow) current = fileRow(file);
    }
    if (!current) {
      report({
        kind: "no_active",
        legacy_id: null,
        message: `no item of ${strategy} is ACTIVE and no file serves it: its versions are imported, none is activated`,
      });
    }
    return { strategy, history, current: current ? { ...current } : null, inconsistencies };
  });
}
