/**
 * @module Setting a legacy mirror (on, off, where it writes) is a change of state like any other:
 * one governed change, audited, acting in its environment. How far each got is read from the store.
 */
import { canonicalJson, type JsonValue, type LegacyMirrorBody, type LegacyMirrorView } from "@tradai/core";
import { type Actor, assertInScope } from "../../changes/actor.js";
import { mustApply } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Queryable } from "../../db/database.js";
import { ConflictError } from "../../http/errors.js";
import type { Environments } from "../environments/environments.js";
import { type LegacyMirrorUrls, missingUrl } from "./runner.js";
import { legacyMirrorStore } from "./store.js";

export function legacyMirrorServiceFactory({
  db,
  changes,
  environments,
  urls,
}: {
  db: Queryable;
  changes: ChangeKernel;
  environments: Environments;
  urls: LegacyMirrorUrls;
}) {
  return {
    list: (environment?: string) => legacyMirrorStore(db).list(environment),

    async set(environmentName: string, body: LegacyMirrorBody, actor: Actor): Promise<LegacyMirrorView> {
      const environment = environments.resolve(environmentName, { location: "path", field: "environment" });
      assertInScope(actor, environment);
      // Turning one on where this server has nowhere to write would only fail later: say so now.
      if (body.enabled && !urls[environment]) throw new ConflictError(missingUrl(environment));
      mustApply(
        await changes.commitChange(actor, {
          what: `the legacy mirror of ${body.strategy} in ${environment}`,
          acts: [environment],
          async work(tx, record) {
            const before = await legacyMirrorStore(tx).find(environment, body.strategy);
            if (body.enabled) {
              // Two mirrors writing one row would overwrite each other (the database refuses it too).
              const { rows } = await tx.query<{ strategy_name: string }>(
                `SELECT strategy_name FROM legacy_mirrors
                 WHERE environment = $1 AND enabled AND target ->> 'table' = $2 AND strategy_name <> $3`,
                [environment, body.target.table, body.strategy],
              );
              if (rows[0]) {
                throw new ConflictError(
                  `the legacy mirror of ${rows[0].strategy_name} in ${environment} writes ${body.target.table} already: one mirror per table`,
                );
              }
            }
            await tx.query(
              `INSERT INTO legacy_mirrors (environment, strategy_name, enabled, target, updated_by)
               VALUES ($1, $2, $3, $4::jsonb, $5)
               ON CONFLICT (environment, strategy_name) DO UPDATE
                 SET enabled = EXCLUDED.enabled, target = EXCLUDED.target, updated_by = EXCLUDED.updated_by,
                     updated_at = clock_timestamp()`,
              [environment, body.strategy, body.enabled, JSON.stringify(body.target), record.actor.name],
            );
            // Another row, or on again: it is written afresh at once, whatever was written before.
            const retarget =
              before &&
              (canonicalJson(before.target as JsonValue) !== canonicalJson(body.target as JsonValue) ||
                (!before.enabled && body.enabled));
            if (retarget) {
              await tx.query(
                `UPDATE legacy_mirror_state SET mirrored_seq = 0, mirrored_hash = NULL, mirrored_config_id = NULL,
                   attempts = 0, last_error = NULL, next_attempt_at = NULL
                 WHERE environment = $1 AND strategy_name = $2`,
                [environment, body.strategy],
              );
            }
            record.audit({
              action: "legacy_mirror.set",
              target_type: "legacy_mirror",
              target_id: `${environment}/${body.strategy}`,
              environment,
              before: before ? { enabled: before.enabled, target: before.target } : null,
              after: { enabled: body.enabled, target: body.target },
            });
          },
        }),
      );
      return (await legacyMirrorStore(db).find(environment, body.strategy)) as LegacyMirrorView;
    },
  };
}

export type LegacyMirrorService = ReturnType<typeof legacyMirrorServiceFactory>;
