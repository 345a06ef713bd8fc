/**
 * @module Environment policy (approval, promotion source, break-glass) and freeze windows. Every
 * change goes through the change kernel: a policy change that weakens governance (approval off,
 * fewer approvals, break-glass allowed) becomes a change request that another person approves.
 */
import {
  type CreateFreezeBody,
  diffValues,
  type EnvironmentPolicy,
  type EnvironmentView,
  type FreezeWindow,
  type JsonValue,
} from "@tradai/core";
import type { Actor } from "../../changes/actor.js";
import { type Change, mustApply } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { ActiveFreeze } from "../../changes/sources.js";
import type { Queryable } from "../../db/database.js";
import { InvalidInputError, NotFoundError, PreconditionFailedError } from "../../http/errors.js";
import type { Environments } from "./environments.js";
import { activeUntil, cronProblem } from "./freezes.js";
import { environmentStore, type FreezeRow, type PolicyRow } from "./store.js";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toFreeze(row: FreezeRow, now: Date): FreezeWindow {
  const until = activeUntil(row, now);
  return {
    id: Number(row.id),
    environment: row.environment,
    reason: row.reason,
    kind: row.cron ? "recurring" : "one-off",
    starts_at: iso(row.starts_at),
    ends_at: iso(row.ends_at),
    cron: row.cron,
    duration_seconds: row.duration_seconds,
    time_zone: row.time_zone,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    active_now: until !== null,
    active_until: iso(until),
  };
}

const policyOf = (row: PolicyRow): EnvironmentPolicy => ({
  requires_approval: row.requires_approval,
  approvals_required: row.approvals_required,
  promote_from: row.promote_from,
  break_glass_allowed: row.break_glass_allowed,
});

/** The freeze window covering `now` in the environment, if any (the change kernel asks). */
export async function activeFreeze(q: Queryable, environment: string, now: Date): Promise<ActiveFreeze | null> {
  for (const row of await environmentStore(q).freezes(environment)) {
    const until = activeUntil(row, now);
    if (until) return { window_id: Number(row.id), window_reason: row.reason, until };
  }
  return null;
}

/** Every environment's policy, as the change kernel judges changes by it. */
export async function policyGovernance(q: Queryable) {
  return Object.fromEntries(
    (await environmentStore(q).policies()).map((p) => [
      p.name,
      {
        requires_approval: p.requires_approval,
        approvals_required: p.approvals_required,
        break_glass_allowed: p.break_glass_allowed,
      },
    ]),
  );
}

export type PolicyPatch = Partial<EnvironmentPolicy> & { expected_updated_at?: string | null | undefined };

export function environmentServiceFactory({
  db,
  environments,
  changes,
}: {
  db: Queryable;
  environments: Environments;
  changes: ChangeKernel;
}) {
  async function view(q: Queryable, row: PolicyRow): Promise<EnvironmentView> {
    const now = new Date();
    const windows = (await environmentStore(q).freezes(row.name)).map((w) => toFreeze(w, now));
    return {
      name: row.name,
      is_default: row.name === environments.defaultName,
      ...policyOf(row),
      updated_by: row.updated_by,
      updated_at: iso(row.updated_at),
      freeze_windows: windows,
      frozen: windows.some((w) => w.active_now),
    };
  }

  async function mustPolicy(q: Queryable, name: string, lock = false): Promise<PolicyRow> {
    const known = environments.names.includes(name) ? await environmentStore(q).policy(name, lock) : undefined;
    if (!known) throw new NotFoundError(`unknown environment "${name}"; known: ${environments.names.join(", ")}`);
    return known;
  }

  /** Changing a policy: the change a change request holds when it weakens governance. */
  const policyChange = (name: string, patch: PolicyPatch): Change<{ before: EnvironmentPolicy; after: PolicyRow }> => ({
    what: `the policy change of ${name}`,
    acts: [name],
    async work(tx, record) {
      const before = await mustPolicy(tx, name, true);
      if (
        patch.expected_updated_at !== undefined &&
        !record.applying &&
        patch.expected_updated_at !== iso(before.updated_at)
      ) {
        throw new PreconditionFailedError(
          `the policy of ${name} was changed at ${iso(before.updated_at) ?? "(never)"} by ${before.updated_by ?? "nobody"}; reload it and try again`,
        );
      }
      const { expected_updated_at: _, ...fields } = patch;
      const next = { ...policyOf(before), ...fields };
      if (JSON.stringify(next) === JSON.stringify(policyOf(before))) return { before: policyOf(before), after: before };
      const after = await environmentStore(tx).updatePolicy(name, next, record.actor.name);
      record.audit({
        action: "environment.update_policy",
        target_type: "environment",
        target_id: name,
        environment: name,
        before: policyOf(before),
        after: policyOf(after),
      });
      return { before: policyOf(before), after };
    },
    propose: ({ before, after }) => ({
      kind: "environment_policy",
      command: { name: "environment_policy", payload: { environment: name, patch: fields(patch) } as JsonValue },
      summary: `change the policy of ${name}: ${describePatch(patch)}`,
      environment: name,
      diff: diffValues(before, policyOf(after)),
    }),
  });

  changes.registerCommand("environment_policy", (payload) => {
    const { environment, patch } = payload as { environment: string; patch: PolicyPatch };
    return policyChange(environment, patch) as Change<unknown>;
  });

  return {
    /** `scope`: the environments the reader may see (null: all). */
    async list(scope: readonly string[] | null = null): Promise<EnvironmentView[]> {
      const rows = await environmentStore(db).policies();
      const visible = environments.names.filter((name) => scope === null || scope.includes(name));
      const ordered = visible.flatMap((name) => rows.filter((r) => r.name === name));
      return Promise.all(ordered.map((row) => view(db, row)));
    },

    async get(name: string): Promise<EnvironmentView> {
      return view(db, await mustPolicy(db, name));
    },

    /** Policy of an environment, read inside the caller's transaction. */
    policy: (q: Queryable, name: string): Promise<PolicyRow> => mustPolicy(q, name),

    /** Applies the policy change, or proposes it (a change request) when it weakens governance. */
    async updatePolicy(name: string, patch: PolicyPatch, actor: Actor) {
      if (patch.promote_from !== undefined && patch.promote_from !== null) {
        if (!environments.names.includes(patch.promote_from)) {
          throw InvalidInputError.field("body", "promote_from", `unknown environment "${patch.promote_from}"`);
        }
        if (patch.promote_from === name) {
          throw InvalidInputError.field("body", "promote_from", "an environment cannot promote from itself");
        }
      }
      await mustPolicy(db, name);
      const outcome = await changes.commitChange(actor, policyChange(name, patch));
      if (outcome.outcome === "proposed") return outcome;
      return { outcome: "applied" as const, view: await view(db, outcome.result.after) };
    },

    async addFreeze(name: string, body: CreateFreezeBody, actor: Actor): Promise<FreezeWindow> {
      let timing: Pick<FreezeRow, "starts_at" | "ends_at" | "cron" | "duration_seconds" | "time_zone">;
      if ("cron" in body) {
        const problem = cronProblem(body.cron, body.time_zone);
        if (problem) throw InvalidInputError.field("body", problem.field, problem.message);
        timing = {
          starts_at: null,
          ends_at: null,
          cron: body.cron.trim(),
          duration_seconds: body.duration_seconds,
          time_zone: body.time_zone,
        };
      } else {
        const [starts, ends] = [new Date(body.starts_at), new Date(body.ends_at)];
        if (ends <= starts) throw InvalidInputError.field("body", "ends_at", "must be after starts_at");
        timing = { starts_at: starts, ends_at: ends, cron: null, duration_seconds: null, time_zone: null };
      }
      await mustPolicy(db, name);
      const outcome = await changes.commitChange(actor, {
        what: `a freeze window of ${name}`,
        acts: [name],
        async work(tx, record) {
          const row = await environmentStore(tx).insertFreeze({
            environment: name,
            reason: body.reason,
            ...timing,
            created_by: record.actor.name,
          });
          const window = toFreeze(row, new Date());
          record.audit({
            action: "freeze.create",
            target_type: "freeze_window",
            target_id: String(window.id),
            environment: name,
            after: window,
          });
          return window;
        },
      });
      return mustApply(outcome);
    },

    async removeFreeze(name: string, id: number, actor: Actor): Promise<FreezeWindow> {
      await mustPolicy(db, name);
      const outcome = await changes.commitChange(actor, {
        what: `removing freeze window ${id} of ${name}`,
        acts: [name],
        async work(tx, record) {
          const row = await environmentStore(tx).removeFreeze(name, id, record.actor.name);
          if (!row) throw new NotFoundError(`${name} has no freeze window ${id}`);
          const window = toFreeze(row, new Date());
          record.audit({
            action: "freeze.remove",
            target_type: "freeze_window",
            target_id: String(id),
            environment: name,
            before: window,
          });
          return window;
        },
      });
      return mustApply(outcome);
    },
  };
}

const fields = (patch: PolicyPatch): Record<string, JsonValue> => {
  const { expected_updated_at: _, ...rest } = patch;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Record<string, JsonValue>;
};

const describePatch = (patch: PolicyPatch) =>
  Object.entries(fields(patch))
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join(", ");

export type EnvironmentService = ReturnType<typeof environmentServiceFactory>;
