/**
 * @module Making a version the active one of a strategy in an environment, as one governed change:
 * directly, by promotion from another environment, by rollback or by restore. The change checks
 * what only an activation knows (the version exists and is live, the promotion source, the version
 * expected active now, the catalog's required and immutable parameters), then ends the current
 * activation and starts the new one. The change kernel judges the rest on its effect, and proposes
 * it as a change request where four eyes are needed.
 */
import { diffValues, type JsonValue, type ValuesDiff } from "@tradai/core";
import type { Change } from "../../changes/change.js";
import { ConflictError, NotFoundError, PreconditionFailedError, StaleError } from "../../http/errors.js";
import { checkActivation } from "../catalog/checks.js";
import { configStore, type VersionRow } from "../configs/store.js";
import { environmentStore } from "../environments/store.js";

/** What an activation change request holds, and carries out again on approval. */
export interface ActivationCommand {
  strategy: string;
  config_id: string;
  environment: string;
  /** promotion: the environment the version must be active in now */
  from?: string | null | undefined;
  /** the config_id expected active now (null: none); undefined: not checked */
  expected_active?: string | null | undefined;
  /** how it was asked for, for the audit trail */
  via?: "activation" | "promotion" | "rollback" | "restore" | undefined;
}

export interface ActivationResult {
  changed: boolean;
  previous_config_id: string | null;
  version: VersionRow;
  diff: ValuesDiff;
}

export const commandKind = (c: ActivationCommand) => (c.from ? "promotion" : "activation");

/**
 * The activation change. `target` gives the command when it runs (restore learns its version only
 * while preparing). Immutable values are the kernel's to keep (changes/gate.ts), on every layer.
 */
export function activationChange(
  target: () => ActivationCommand,
  options: {
    freezeOverrideReason?: string | undefined;
    prepare?: Change<ActivationResult>["prepare"];
    described: ActivationCommand;
  },
): Change<ActivationResult> {
  const d = options.described;
  return {
    what: `${d.from ? `the promotion from ${d.from} of` : "the activation of"} ${d.config_id} of ${d.strategy} in ${d.environment}`,
    event: "activation",
    affects: [{ strategy: d.strategy, environment: d.environment }],
    freezeOverrideReason: options.freezeOverrideReason,
    ...(options.prepare ? { prepare: options.prepare } : {}),
    async work(tx, record): Promise<ActivationResult> {
      const c = target();
      const store = configStore(tx);
      // Carrying out an approved request: what it was based on must still hold, or it is stale.
      const stale = (problem: string) => {
        if (record.applying) throw new StaleError(problem);
      };
      const at = await store.lockStrategy(c.strategy);
      if (!at) throw new NotFoundError(`unknown strategy "${c.strategy}"`);
      const version = await store.findByConfigId(c.strategy, c.config_id);
      if (!version || version.deprecated_at) stale(`version ${c.config_id} is no longer available as proposed`);
      if (!version) throw new NotFoundError(`strategy "${c.strategy}" has no config version "${c.config_id}"`);
      if (version.deprecated_at) {
        throw new ConflictError(
          `config version ${c.config_id} of ${c.strategy} was explicitly deprecated and can never be activated again; create a new version`,
        );
      }
      if (c.from) {
        const policy = await environmentStore(tx).policy(c.environment);
        if (policy?.promote_from !== c.from) {
          throw new ConflictError(
            policy?.promote_from
              ? `${c.environment} is promoted to only from ${policy.promote_from}, not from ${c.from}`
              : `nothing is promoted to ${c.environment}; activate a version there instead`,
          );
        }
        const inSource = await store.openActivation(c.strategy, c.from);
        if (inSource?.config_id !== c.config_id) stale(`${c.config_id} is no longer active in ${c.from}`);
        if (inSource?.config_id !== c.config_id) {
          throw new ConflictError(
            `only the version active in ${c.from} can be promoted; active there: ${inSource?.config_id ?? "none"}`,
          );
        }
      }
      const current = await store.openActivation(c.strategy, c.environment);
      const currentId = current?.config_id ?? null;
      if (c.expected_active !== undefined && c.expected_active !== currentId) {
        stale(
          `${c.environment} now runs ${currentId ?? "no version"}, not ${c.expected_active ?? "no version"} as when it was proposed`,
        );
        throw new PreconditionFailedError(
          `expected ${c.expected_active ?? "no version"} to be active in ${c.environment}, but ${currentId ?? "none"} is; reload and decide again`,
        );
      }
      const before = current ? ((await store.findByConfigId(c.strategy, current.config_id))?.config_data ?? {}) : {};
      const diff = diffValues(before, version.config_data);
      if (current?.config_version_id === version.id) return { changed: false, previous_config_id: null, version, diff };
      // Refuse what could never be applied, rather than ask someone to approve it.
      await checkActivation(tx, {
        strategy: c.strategy,
        environment: c.environment,
        configData: version.config_data,
      });
      if (current) {
        await store.endActivation(current.id, {
          reason: "superseded",
          supersededBy: version.config_id,
          by: record.actor.name,
          at,
        });
      }
      const frozen = options.freezeOverrideReason ? await record.activeFreeze(c.environment) : null;
      await store.insertActivation({
        strategy: c.strategy,
        environment: c.environment,
        versionId: version.id,
        configId: version.config_id,
        by: record.actor.name,
        at,
        changeRequestId: record.applying?.id ?? null,
        freezeOverrideReason: frozen ? (options.freezeOverrideReason ?? null) : null,
      });
      record.audit({
        action: c.from ? "config.promote" : "config.activate",
        target_type: "config_version",
        target_id: `${c.strategy}/${version.config_id}`,
        environment: c.environment,
        before: { active_config_id: currentId },
        after: { active_config_id: version.config_id, config_hash: version.config_hash },
        details: { from_environment: c.from ?? null, via: c.via ?? commandKind(c) },
      });
      return { changed: true, previous_config_id: currentId, version, diff };
    },
    propose: (result) => {
      const c = target();
      return {
        kind: commandKind(c),
        command: {
          name: "activation",
          payload: { ...c, from: c.from ?? null, expected_active: result.previous_config_id } as unknown as JsonValue,
        },
        summary: `make ${c.config_id} of ${c.strategy} active in ${c.environment}${c.from ? ` (promoted from ${c.from})` : ""}`,
        environment: c.environment,
        diff: result.diff,
        activation: {
          strategy: c.strategy,
          from_environment: c.from ?? null,
          config_version_id: result.version.id,
          config_id: result.version.config_id,
          config_hash: result.version.config_hash,
          catalog_revision: result.version.catalog_revision,
          base_config_id: result.previous_config_id,
        },
      };
    },
  };
}
