/**
 * @module Carrying out an activation inside the caller's transaction (which holds the strategy's
 * row lock): end the current activation, start the new one, record the event, audit it. Direct
 * activations, approved change requests and break-glass all end here.
 */
import type { Queryable } from "../../db/database.js";
import { recordAudit } from "../audit/recorder.js";
import type { Actor } from "../auth/actor.js";
import { type ActivationRow, configStore, type VersionRow } from "../configs/store.js";
import { trackStrategyChange } from "../distribution/events.js";
import type { FreezeOverride } from "../environments/service.js";

export interface ApplyActivation {
  strategy: string;
  environment: string;
  version: VersionRow;
  current: ActivationRow | undefined;
  actor: Actor;
  at: Date;
  kind: "activation" | "promotion";
  fromEnvironment?: string | null;
  changeRequestId?: number | null;
  freezeOverride?: FreezeOverride | null;
  breakGlassReason?: string | null;
}

/** The caller has run the catalog checks (CatalogService.checkActivation) in this transaction. */
export async function applyActivation(tx: Queryable, a: ApplyActivation): Promise<void> {
  const store = configStore(tx);
  const recordEvent = await trackStrategyChange(tx, a.strategy, a.environment);
  if (a.current) {
    await store.endActivation(a.current.id, {
      reason: "superseded",
      supersededBy: a.version.config_id,
      by: a.actor.name,
      at: a.at,
    });
  }
  await store.insertActivation({
    strategy: a.strategy,
    environment: a.environment,
    versionId: a.version.id,
    configId: a.version.config_id,
    by: a.actor.name,
    at: a.at,
    changeRequestId: a.changeRequestId ?? null,
    freezeOverrideReason: a.freezeOverride?.reason ?? null,
  });
  const eventSeq = await recordEvent(a.actor, "activation");
  await recordAudit(tx, a.actor, {
    action: a.kind === "promotion" ? "config.promote" : "config.activate",
    target_type: "config_version",
    target_id: `${a.strategy}/${a.version.config_id}`,
    environment: a.environment,
    before: { active_config_id: a.current?.config_id ?? null },
    after: { active_config_id: a.version.config_id, config_hash: a.version.config_hash },
    details: {
      from_environment: a.fromEnvironment ?? null,
      change_request_id: a.changeRequestId ?? null,
      freeze_override: a.freezeOverride ?? null,
      break_glass_reason: a.breakGlassReason ?? null,
      event_seq: eventSeq,
    },
  });
}
