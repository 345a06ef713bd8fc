/**
 * @module Writing a new config version inside a governed change: content-addressed (identical live
 * content is the existing version), numbered per strategy under the strategy's row lock, audited.
 * Config creation, audit restore and legacy imports all write versions this way.
 */
import { type CreateConfigBody, contentHash, formatConfigId, type JsonValue } from "@tradai/core";
import type { ChangeRecord } from "../../changes/change.js";
import type { Queryable } from "../../db/database.js";
import { configStore, type VersionRow } from "./store.js";

/** The version with this content: the live one that exists, or a new one. */
export async function writeVersion(
  tx: Queryable,
  record: ChangeRecord,
  input: CreateConfigBody,
  catalogRevision: number | null,
  /** a version made from a legacy row: where from, its original author, time and comment, its planned number */
  legacy?: {
    importedFrom: string;
    author: string | null;
    time: string | null;
    comment: string | null;
    versionNumber?: number;
  },
): Promise<{ version: VersionRow; deduplicated: boolean }> {
  const store = configStore(tx);
  const hash = contentHash(input.config_data as JsonValue);
  const at = await store.lockOrCreateStrategy(input.strategy_name);
  const existing = await store.findLiveByHash(input.strategy_name, hash);
  if (existing) return { version: existing, deduplicated: true };
  const versionNumber = await store.takeNextVersionNumber(input.strategy_name, legacy?.versionNumber);
  const configId = formatConfigId(versionNumber, hash);
  await store.insertVersion({
    strategy: input.strategy_name,
    versionNumber,
    configId,
    hash,
    data: input.config_data,
    description: input.description,
    createdBy: record.actor.name,
    createdAt: at,
    catalogRevision,
    ...(legacy ? { legacy } : {}),
  });
  record.audit({
    action: "config.create",
    target_type: "config_version",
    target_id: `${input.strategy_name}/${configId}`,
    after: {
      strategy_name: input.strategy_name,
      config_id: configId,
      config_hash: hash,
      config_data: input.config_data,
      description: input.description ?? null,
      catalog_revision: catalogRevision,
      ...(legacy
        ? {
            imported_from: legacy.importedFrom,
            legacy_author: legacy.author,
            legacy_time: legacy.time,
            legacy_comment: legacy.comment,
          }
        : {}),
    },
  });
  const version = await store.findByConfigId(input.strategy_name, configId);
  if (!version) throw new Error(`version ${configId} of ${input.strategy_name} vanished after its insert`);
  return { version, deduplicated: false };
}
