/**
 * @module Appending to the change feed. Only the change kernel calls it: one event per resolved
 * config a change alters, in the change's transaction, before its audit entries (all writers take
 * the feed head, then the audit head: one lock order), and every replica hears the new seq on commit.
 */
import type { ChangedKey, ConfigEventKind } from "@tradai/core";
import type { Queryable } from "../db/database.js";
import type { Actor } from "./actor.js";

export const CONFIG_EVENTS_CHANNEL = "tradai_config_events";

export interface ConfigEventInput {
  kind: ConfigEventKind;
  environment: string;
  strategy: string;
  /** the version active after the change (null: none) and the hash it resolves to */
  config_id: string | null;
  resolved_hash: string | null;
  changes: ChangedKey[];
}

export async function appendConfigEvent(tx: Queryable, actor: Actor, event: ConfigEventInput): Promise<number> {
  const head = (await tx.query<{ seq: string | number }>("SELECT seq FROM config_event_head FOR UPDATE")).rows[0];
  const seq = Number(head?.seq ?? 0) + 1;
  await tx.query(
    `INSERT INTO config_events (seq, kind, environment, strategy, config_id, resolved_hash, changes, actor)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
    [
      seq,
      event.kind,
      event.environment,
      event.strategy,
      event.config_id,
      event.resolved_hash,
      JSON.stringify(event.changes),
      actor.name,
    ],
  );
  await tx.query("UPDATE config_event_head SET seq = $1", [seq]);
  await tx.query("SELECT pg_notify($1, $2)", [CONFIG_EVENTS_CHANNEL, String(seq)]);
  return seq;
}
