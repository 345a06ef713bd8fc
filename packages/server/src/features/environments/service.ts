/**
 * @module Environment policy (approval, promotion source, break-glass) and freeze windows; and the
 * freeze check every activation, promotion and approval goes through.
 */
import type { CreateFreezeBody, EnvironmentPolicy, EnvironmentView, FreezeWindow } from "@tradai/core";
import type { Database, Queryable } from "../../db/database.js";
import {
  ForbiddenError,
  FrozenError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
} from "../../http/errors.js";
import { recordAudit } from "../audit/recorder.js";
import { type Actor, isAdmin } from "../auth/actor.js";
import type { Environments } from "./environments.js";
import { activeUntil, cronProblem } from "./freezes.js";
import { environmentStore, type FreezeRow, type PolicyRow } from "./store.js";

export interface FreezeOverride {
  window_id: number;
  window_reason: string;
  reason: string;
}

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

export function environmentServiceFactory({ db, environments }: { db: Database; environments: Environments }) {
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

  return {
    async list(): Promise<EnvironmentView[]> {
      const rows = await environmentStore(db).policies();
      const ordered = environments.names.flatMap((name) => rows.filter((r) => r.name === name));
      return Promise.all(ordered.map((row) => view(db, row)));
    },

    async get(name: string): Promise<EnvironmentView> {
      return view(db, await mustPolicy(db, name));
    },

    /** Policy of an environment, read inside the caller's transaction. */
    policy: (q: Queryable, name: string): Promise<PolicyRow> => mustPolicy(q, name),

    async updatePolicy(
      name: string,
      patch: Partial<EnvironmentPolicy> & { expected_updated_at?: string | null | undefined },
      actor: Actor,
    ): Promise<EnvironmentView> {
      if (patch.promote_from !== undefined && patch.promote_from !== null) {
        if (!environments.names.includes(patch.promote_from)) {
          throw InvalidInputError.field("body", "promote_from", `unknown environment "${patch.promote_from}"`);
        }
        if (patch.promote_from === name) {
          throw InvalidInputError.field("body", "promote_from", "an environment cannot promote from itself");
        }
      }
      return db.transaction(async (tx) => {
        const before = await mustPolicy(tx, name, true);
        if (patch.expected_updated_at !== undefined && patch.expected_updated_at !== iso(before.updated_at)) {
          throw new PreconditionFailedError(
            `the policy of ${name} was changed at ${iso(before.updated_at) ?? "(never)"} by ${before.updated_by ?? "nobody"}; reload it and try again`,
          );
        }
        const { expected_updated_at: _, ...changes } = patch;
        const next = { ...policyOf(before), ...changes };
        const after = await environmentStore(tx).updatePolicy(name, next, actor.name);
        await recordAudit(tx, actor, {
          action: "environment.update_policy",
          target_type: "environment",
          target_id: name,
          environment: name,
          before: policyOf(before),
          after: policyOf(after),
        });
        return view(tx, after);
      });
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
      return db.transaction(async (tx) => {
        await mustPolicy(tx, name);
        const row = await environmentStore(tx).insertFreeze({
          environment: name,
          reason: body.reason,
          ...timing,
          created_by: actor.name,
        });
        const window = toFreeze(row, new Date());
        await recordAudit(tx, actor, {
          action: "freeze.create",
          target_type: "freeze_window",
          target_id: String(window.id),
          environment: name,
          after: window,
        });
        return window;
      });
    },

    async removeFreeze(name: string, id: number, actor: Actor): Promise<FreezeWindow> {
      return db.transaction(async (tx) => {
        await mustPolicy(tx, name);
        const row = await environmentStore(tx).removeFreeze(name, id, actor.name);
        if (!row) throw new NotFoundError(`${name} has no freeze window ${id}`);
        const window = toFreeze(row, new Date());
        await recordAudit(tx, actor, {
          action: "freeze.remove",
          target_type: "freeze_window",
          target_id: String(id),
          environment: name,
          before: window,
        });
        return window;
      });
    },

    /**
     * Refuses (423) to act in a frozen environment, unless an admin gives an override reason.
     * @returns the override to record, when one was used
     */
    async checkFreeze(
      q: Queryable,
      environment: string,
      actor: Actor,
      overrideReason: string | undefined,
    ): Promise<FreezeOverride | null> {
      const now = new Date();
      const active = (await environmentStore(q).freezes(environment))
        .map((row) => ({ row, until: activeUntil(row, now) }))
        .find((w) => w.until !== null);
      if (!active) return null;
      const name = `freeze window ${active.row.id} ("${active.row.reason}")`;
      if (!overrideReason) {
        throw new FrozenError(
          `${environment} is frozen until ${active.until?.toISOString()} by ${name}; an admin may override with freeze_override_reason`,
        );
      }
      if (!isAdmin(actor)) throw new ForbiddenError(`only an admin may override ${name} of ${environment}`);
      return { window_id: Number(active.row.id), window_reason: active.row.reason, reason: overrideReason };
    },
  };
}

export type EnvironmentService = ReturnType<typeof environmentServiceFactory>;
