/**
 * @module Undoing an import, through history: in one governed change, the version active before it
 * is active again in its environment, and the versions it made are deprecated (their content, their
 * legacy provenance and the import's record stay). Refused when later changes stand on the import
 * (another version active there since, one of its versions active elsewhere), or when nothing was
 * active before (undoing would leave the environment with nothing to resolve).
 */
import type { ImportPlan } from "@tradai/core";
import type { Change } from "../../changes/change.js";
import { ConflictError, NotFoundError } from "../../http/errors.js";
import { activationChange } from "../activation/change.js";
import { configStore } from "../configs/store.js";

export function importUndoChange(
  importId: string,
  plan: ImportPlan,
  ttlDays: number,
): Change<{ reactivated: string | null; deprecated: string[] }> {
  return {
    what: `undoing import ${importId} (${plan.strategy} in ${plan.environment})`,
    event: "activation",
    affects: [{ strategy: plan.strategy, environment: plan.environment }],
    async work(tx, record) {
      const { rows: undone } = await tx.query("SELECT 1 FROM import_undos WHERE import_id = $1", [importId]);
      if (undone.length > 0) throw new ConflictError(`import ${importId} was undone already`);
      const store = configStore(tx);
      const at = await store.lockStrategy(plan.strategy);
      if (!at) throw new NotFoundError(`unknown strategy "${plan.strategy}"`);
      let reactivated: string | null = null;
      if (plan.activation.action === "activate") {
        const active = await store.openActivation(plan.strategy, plan.environment);
        if (active?.config_id !== plan.activation.config_id) {
          throw new ConflictError(
            `${plan.environment} runs ${active?.config_id ?? "nothing"} of ${plan.strategy}, not ${plan.activation.config_id} as the import left it: later changes stand on it; undo them first`,
          );
        }
        if (!plan.activation.previous) {
          throw new ConflictError(
            `nothing was active for ${plan.strategy} in ${plan.environment} before the import: undoing it would leave nothing to resolve there; activate another version first`,
          );
        }
        const command = { strategy: plan.strategy, config_id: plan.activation.previous, environment: plan.environment };
        await activationChange(() => command, { described: command }).work(tx, record);
        reactivated = plan.activation.previous;
      }
      const made = [...new Set(plan.steps.filter((s) => s.action === "create").map((s) => s.config_id))];
      for (const configId of made) {
        const version = await store.findByConfigId(plan.strategy, configId);
        if (!version || version.deprecated_at) continue;
        const elsewhere = (await store.openActivationsOf(version.id)).map((a) => a.environment);
        if (elsewhere.length > 0) {
          throw new ConflictError(
            `${configId} of ${plan.strategy}, made by import ${importId}, is active in ${elsewhere.join(", ")}: undo that first`,
          );
        }
        await store.deprecateVersion({
          id: version.id,
          by: record.actor.name,
          reason: `import ${importId} undone`,
          ttlDays,
          at,
        });
      }
      await tx.query("INSERT INTO import_undos (import_id, undone_by) VALUES ($1, $2)", [importId, record.actor.name]);
      record.audit({
        action: "import.undo",
        target_type: "import",
        target_id: importId,
        environment: plan.environment,
        details: { reactivated, deprecated: made },
      });
      return { reactivated, deprecated: made };
    },
  };
}
