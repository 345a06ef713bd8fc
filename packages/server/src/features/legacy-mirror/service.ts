/**
 * @module Setting a legacy mirror (on, off, where it writes) is a change of state like any other:
 * one governed change, audited, acting in its environment. How far each got is read from the store.
 */
import type { LegacyMirrorBody, LegacyMirrorView } from "@tradai/core";
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
            await tx.query(
              `INSERT INTO legacy_mirrors (environment, strategy_name, enabled, target, updated_by)
               VALUES ($1, $2, $3, $4::jsonb, $5)
               ON CONFLICT (environment, strategy_name) DO UPDATE
                 SET enabled = EXCLUDED.enabled, target = EXCLUDED.target, updated_by = EXCLUDED.updated_by,
                     updated_at = clock_timestamp()`,
              [environment, body.strategy, body.enabled, JSON.stringify(body.target), record.actor.name],
            );
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
