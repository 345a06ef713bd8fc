/**
 * @module Writing the change feed. Every change that alters a resolved config records one event
 * in its own transaction, before its audit entry (all writers take the feed head, then the audit
 * head: one lock order, no deadlock), and notifies every replica of the new seq on commit.
 */
import { type ChangedKey, changedKeys, type ReloadClass } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import type { Actor } from "../auth/actor.js";
import { catalogStore } from "../catalog/store.js";
import { resolvedOrNull } from "../resolution/resolve.js";

export const CONFIG_EVENTS_CHANNEL = "tradai_config_events";

export interface ConfigEventInput {
  kind: "activation" | "deprecation" | "environment_base" | "catalog";
  /** null: every environment */
  environment: string | null;
  /** null: every strategy */
  strategy: string | null;
  config_id: string | null;
  resolved_hash: string | null;
  changes: ChangedKey[];
}

export async function recordConfigEvent(tx: Queryable, actor: Actor, event: ConfigEventInput): Promise<number> {
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

/** Each catalog parameter's reload class, by name. */
export async function reloadClasses(q: Queryable): Promise<Map<string, ReloadClass>> {
  return new Map((await catalogStore(q).parameters()).map((p) => [p.name, p.reload]));
}

/**
 * Takes a strategy's resolved config before a change; the returned function, called after the
 * change (same transaction), records the event with what changed.
 */
export async function trackStrategyChange(tx: Queryable, strategy: string, environment: string) {
  const before = await resolvedOrNull(tx, strategy, environment);
  return async (actor: Actor, kind: "activation" | "deprecation"): Promise<number> => {
    const after = await resolvedOrNull(tx, strategy, environment);
    return recordConfigEvent(tx, actor, {
      kind,
      environment,
      strategy,
      config_id: after?.config_version_id ?? null,
      resolved_hash: after?.resolved_hash ?? null,
      changes: changedKeys(before?.values ?? {}, after?.values ?? {}, await reloadClasses(tx)),
    });
  };
}
