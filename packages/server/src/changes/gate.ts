/**
 * @module The policy gate: what a change may do, judged on its effect and not on the route that
 * asked for it. Scope (a credential limited to environments acts in those only), no environment
 * left with nothing to resolve, freezes (a frozen environment's resolved configs do not change
 * without a recorded override), four eyes (approvals counted in people; break-glass only where
 * the policy allows it), and immutable values (once served in an environment, kept there).
 */
import {
  type ChangeEffect,
  canonicalJson,
  type JsonValue,
  type PolicyGovernance,
  restoresActive,
  rolesFor,
  valueAt,
} from "@tradai/core";
import type { Queryable } from "../db/database.js";
import { ConflictError, ForbiddenError, FrozenError } from "../http/errors.js";
import { type Actor, actorMay, assertInScope } from "./actor.js";
import type { ApplyingRequest, Change } from "./change.js";
import { approvingPeople } from "./proposals.js";
import { type Snapshot, sidesOf } from "./snapshot.js";
import type { KernelSources } from "./sources.js";

export interface FreezeOverride {
  environment: string;
  window_id: number;
  window_reason: string;
  reason: string;
}

/** The environments a change declares it acts in; null: every one (a global change). */
export function declaredEnvironments(change: Pick<Change<unknown>, "affects" | "acts">): string[] | null {
  if (change.acts === "global") return null;
  const envs = new Set(change.acts ?? []);
  for (const a of change.affects ?? []) {
    if (a.environment === undefined) return null;
    envs.add(a.environment);
  }
  return [...envs].sort();
}

/** A credential limited to some environments acts there only, and never on what applies to all. */
export function checkScope(actor: Actor, change: Change<unknown>): void {
  if (actor.environments === null) return;
  const envs = declaredEnvironments(change);
  if (envs === null) {
    throw new ForbiddenError(
      `${actor.name} may act only in ${actor.environments.join(", ")}; ${change.what} applies to every environment`,
    );
  }
  for (const env of envs) assertInScope(actor, env);
}

/** Refuses a change that leaves an environment that had a resolved config with none. */
export function checkNothingEmptied(what: string, effect: ChangeEffect): void {
  const emptied = effect.resolved.filter((r) => r.before !== null && r.after === null);
  if (emptied.length === 0) return;
  const where = emptied.map((r) => `${r.strategy} in ${r.environment} (now ${r.before?.config_id})`).join(", ");
  throw new ConflictError(
    `${what} would leave ${where} with nothing to resolve; activate another version there first, or roll back`,
  );
}

/**
 * A frozen environment's resolved configs change only with an override reason, from someone the
 * permission table allows to override. @returns the overrides used
 */
export async function checkFreezes(
  q: Queryable,
  sources: KernelSources,
  actor: Actor,
  effect: ChangeEffect,
  reason: string | undefined,
): Promise<FreezeOverride[]> {
  const overrides: FreezeOverride[] = [];
  const now = new Date();
  // A rollout's workers going back to the active config go back to what the freeze keeps.
  const changing = effect.resolved.filter((r) => !restoresActive(r));
  for (const environment of [...new Set(changing.map((r) => r.environment))].sort()) {
    const active = await sources.activeFreeze(q, environment, now);
    if (!active) continue;
    const window = `freeze window ${active.window_id} ("${active.window_reason}")`;
    if (!reason) {
      throw new FrozenError(
        `${environment} is frozen until ${active.until.toISOString()} by ${window}; ` +
          `the ${rolesFor("freezes.override")} role may act anyway by giving a freeze override reason (freeze_override_reason)`,
      );
    }
    if (!actorMay(actor, "freezes.override")) {
      throw new ForbiddenError(
        `${actor.name} may not override ${window} of ${environment}: it needs ${rolesFor("freezes.override")}`,
      );
    }
    overrides.push({ environment, window_id: active.window_id, window_reason: active.window_reason, reason });
  }
  return overrides;
}

/**
 * Whether the change request being carried out may be: approved by enough distinct people other
 * than its author, or broken glass on by an admin where every environment it touches allows it.
 * @returns who approved it
 */
export async function checkApplication(
  q: Queryable,
  actor: Actor,
  applying: ApplyingRequest,
  effect: ChangeEffect,
  policies: Record<string, PolicyGovernance>,
): Promise<{ approved_by: string[] }> {
  if (applying.break_glass_reason !== undefined) {
    if (!actorMay(actor, "change_requests.break_glass")) {
      throw new ForbiddenError(
        `${actor.name} may not break glass: it needs ${rolesFor("change_requests.break_glass")}`,
      );
    }
    const envs = new Set([...applying.environments, ...effect.resolved.map((r) => r.environment)]);
    const closed = [...envs].filter((env) => !policies[env]?.break_glass_allowed).sort();
    if (closed.length > 0 || envs.size === 0) {
      throw new ForbiddenError(
        `the policy of ${closed.join(", ") || "every environment"} does not allow break-glass; get the approvals`,
      );
    }
    return { approved_by: [] };
  }
  const people = await approvingPeople(q, applying.id);
  if (people.length < applying.approvals_required) {
    throw new ConflictError(
      `change request ${applying.id} has ${people.length} of the ${applying.approvals_required} approvals it needs`,
    );
  }
  return { approved_by: people };
}

/** The layer that gave `key` its value in a resolved config (the key, or the parameter holding it). */
function layerOf(provenance: Record<string, { layer: string }>, key: string): string | undefined {
  const parts = key.split(".");
  for (let n = parts.length; n > 0; n--) {
    const found = provenance[parts.slice(0, n).join(".")];
    if (found) return found.layer;
  }
  // a json parameter's inner keys: the layer of any key below it
  return Object.entries(provenance).find(([path]) => path.startsWith(`${key}.`))?.[1].layer;
}

const shown = (found: { found: boolean; value?: unknown }) =>
  found.found ? canonicalJson(found.value as JsonValue) : "(no value)";

/**
 * An immutable parameter whose value was served in an environment (a run used it, a worker applied
 * it) keeps it there: whichever layer the change writes (a version, base values, a catalog
 * default, a promotion, a rollback), in every environment. Where it was never served it may change.
 * @throws ConflictError naming each key, its value, where it was served, and the layer that tried
 */
export async function checkImmutables(
  q: Queryable,
  sources: KernelSources,
  what: string,
  effect: ChangeEffect,
  before: Snapshot,
  after: Snapshot,
): Promise<void> {
  const immutable = new Set(
    [before.governance.parameters, after.governance.parameters].flatMap((all) =>
      Object.entries(all)
        .filter(([, p]) => p.immutable)
        .map(([name]) => name),
    ),
  );
  if (immutable.size === 0) return;
  const errors: { field: string; location: "body"; message: string }[] = [];
  for (const r of effect.resolved) {
    const [was, will] = sidesOf(r, before, after);
    if (!was) continue; // nothing resolved there before: nothing was served
    for (const name of [...immutable].sort()) {
      const [old, next] = [valueAt(was.values, name), will ? valueAt(will.values, name) : { found: false as const }];
      if (!old.found) continue;
      if (next.found && canonicalJson(old.value as JsonValue) === canonicalJson(next.value as JsonValue)) continue;
      const served = await sources.servedValue(q, { ...r, key: name, value: old.value });
      if (!served) continue;
      const layer = will ? (next.found ? layerOf(will.provenance, name) : "removed") : "nothing resolves";
      errors.push({
        field: name,
        location: "body",
        message:
          `immutable: ${r.strategy} in ${r.environment} was served ${name} = ${shown(old)} (${served}); ` +
          `${what} would make it ${shown(next)}${layer ? ` (layer ${layer})` : ""}`,
      });
    }
  }
  if (errors.length > 0) {
    throw new ConflictError(
      `${errors.map((e) => e.message).join("; ")}. An immutable parameter keeps a value once it was served in an environment`,
      errors,
    );
  }
}
