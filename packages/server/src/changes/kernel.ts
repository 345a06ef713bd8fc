/**
 * @module The change kernel: `commitChange` is the one way state changes. In one transaction it
 * takes the change's locks in the one order, snapshots what the change may alter, runs the
 * feature's work, judges the effect (scope, nothing emptied, freezes, four eyes), and then either
 * commits state + events + audit entries together, or turns the change into a change request
 * bound to the hash of its effect. It retries on serialization failures and deadlocks.
 */
import { approvalNeed, type ChangeEffect, changedKeys, effectHash, isEmptyEffect, type JsonValue } from "@tradai/core";
import { type Database, pgErrorCode, pgErrorCodes, type Queryable } from "../db/database.js";
import { ConflictError, StaleError } from "../http/errors.js";
import type { Actor } from "./actor.js";
import { type AuditEntryInput, appendAudit } from "./audit-writer.js";
import type { Affects, ApplyingRequest, Change, ChangeRecord, Command, Committed } from "./change.js";
import { appendConfigEvent } from "./event-writer.js";
import {
  checkApplication,
  checkFreezes,
  checkImmutables,
  checkNothingEmptied,
  checkScope,
  declaredEnvironments,
  type FreezeOverride,
} from "./gate.js";
import { claimIdempotencyKey } from "./idempotency.js";
import { closeChangeRequest, findPendingProposal, insertProposal } from "./proposals.js";
import { keepResolvedConfig } from "./resolved-configs.js";
import {
  changedByThisTransaction,
  effectOf,
  type Snapshot,
  sidesOf,
  takeSnapshot,
  undeclaredChanges,
  warningsChanged,
} from "./snapshot.js";
import { type ActiveFreeze, type KernelSources, pairKey } from "./sources.js";
import { governed, inGovernedChange } from "./write-guard.js";

/** Told after commit of what people should know at once (freeze overrides); see features/alerts. */
export type Announce = (alert: {
  kind: "freeze_override" | "break_glass";
  summary: string;
  [field: string]: unknown;
}) => Promise<void>;

export interface KernelDeps {
  db: Database;
  sources: KernelSources;
  changeRequestTtlHours: number;
  announce?: Announce | undefined;
  /** Where a committed change is logged: one line with its request id, actor and audit/event seqs. */
  log?: () => { info(fields: object, message: string): void; debug(fields: object, message: string): void } | undefined;
}

const MAX_ATTEMPTS = 5;
const LOCK_SPACE = 7_311_002;

/** Serialization failures and deadlocks: the transaction is retried from the start. */
const retryable = (error: unknown) =>
  [pgErrorCodes.serializationFailure, pgErrorCodes.deadlockDetected].includes(
    pgErrorCode(error) as typeof pgErrorCodes.serializationFailure,
  );

/**
 * The change's locks, always in this order: the catalog, environments by name, strategies by name
 * (then, inside the work, rows; then the feed head; then the audit head). Shared where the change
 * only reads what others write, exclusive where it writes what others read.
 */
async function takeLocks(tx: Queryable, change: Change<unknown>): Promise<void> {
  const affects = change.affects ?? [];
  const global = affects.some((a) => a.environment === undefined) || change.acts === "global";
  const envWide = new Set<string>();
  const envShared = new Set<string>();
  const strategies = new Set<string>();
  for (const a of affects) {
    if (a.environment === undefined) continue;
    if (a.strategy === undefined) envWide.add(a.environment);
    else {
      envShared.add(a.environment);
      strategies.add(a.strategy);
    }
  }
  for (const env of Array.isArray(change.acts) ? change.acts : []) envWide.add(env);
  const lock = (key: string, shared: boolean) =>
    tx.query(`SELECT pg_advisory_xact_lock${shared ? "_shared" : ""}($1, hashtext($2))`, [LOCK_SPACE, key]);
  if (affects.length === 0 && !global && envWide.size === 0) return;
  await lock("catalog", !global);
  for (const env of [...new Set([...envWide, ...envShared])].sort())
    await lock(`environment:${env}`, !envWide.has(env));
  for (const strategy of [...strategies].sort()) await lock(`strategy:${strategy}`, false);
}

/** Whether every config the change alters is the rollout's pair, moving to its version or back to the active one. */
function continuesRollout(effect: ChangeEffect, rollout: NonNullable<Change<unknown>["continuesRollout"]>): boolean {
  return effect.resolved.every(
    (r) =>
      r.strategy === rollout.strategy &&
      r.environment === rollout.environment &&
      (r.cohort?.kind === "restore" || r.after?.config_id === rollout.config_id),
  );
}

interface Attempt<T> {
  committed?: Committed<T>;
  refusal?: Error;
  after: (() => void | Promise<void>)[];
}

function recorder(actor: Actor, activeFreeze: (environment: string) => Promise<ActiveFreeze | null>) {
  const state = {
    phase: "prepare" as "prepare" | "work",
    prepared: [] as AuditEntryInput[],
    worked: [] as AuditEntryInput[],
    applying: null as ApplyingRequest | null,
    refusal: undefined as Error | undefined,
    after: [] as (() => void | Promise<void>)[],
  };
  const record: ChangeRecord = {
    actor,
    audit: (entry) => (state.phase === "prepare" ? state.prepared : state.worked).push(entry),
    applyChangeRequest: (request) => {
      state.applying = request;
    },
    get applying() {
      return state.applying;
    },
    activeFreeze,
    refuseAfterCommit: (error) => {
      state.refusal = error;
    },
    afterCommit: (fn) => state.after.push(fn),
  };
  return { record, state };
}

export function changeKernel(deps: KernelDeps) {
  const { db, sources } = deps;
  const commands = new Map<string, (payload: JsonValue) => Change<unknown>>();

  /** Writes the events of the effect and the audit entries; the last entry carries the gate's findings. */
  async function writeTrail(
    tx: Queryable,
    actor: Actor,
    change: Change<unknown>,
    effect: ChangeEffect,
    after: Snapshot,
    before: Snapshot,
    entries: AuditEntryInput[],
    findings: Record<string, unknown>,
  ): Promise<{ audit: number[]; events: number[] }> {
    const eventSeqs: number[] = [];
    const auditSeqs: number[] = [];
    const told = new Set<string>();
    // A pair's event tells each of its workers (each stream resolves its own): one per pair.
    for (const r of [...effect.resolved].sort(
      (x, y) => Number(x.cohort !== undefined) - Number(y.cohort !== undefined),
    )) {
      const [a, b] = sidesOf(r, before, after);
      if (told.has(pairKey(r))) {
        if (b) await keepResolvedConfig(tx, r.environment, r.strategy, b);
        continue;
      }
      told.add(pairKey(r));
      eventSeqs.push(
        await appendConfigEvent(tx, actor, {
          kind: change.event ?? "activation",
          environment: r.environment,
          strategy: r.strategy,
          config_id: r.after?.config_id ?? null,
          resolved_hash: r.after?.resolved_hash ?? null,
          changes: changedKeys(a?.values ?? {}, b?.values ?? {}, after.reload),
        }),
      );
      if (b) await keepResolvedConfig(tx, r.environment, r.strategy, b);
    }
    // Same values, other catalog warnings: an event with no changed key tells the workers.
    for (const p of warningsChanged(before, after)) {
      const b = after.resolved.get(`${p.strategy}\0${p.environment}`);
      eventSeqs.push(
        await appendConfigEvent(tx, actor, {
          kind: change.event ?? "activation",
          environment: p.environment,
          strategy: p.strategy,
          config_id: b?.config_id ?? null,
          resolved_hash: b?.resolved_hash ?? null,
          changes: [],
        }),
      );
    }
    if (entries.length === 0) {
      if (isEmptyEffect(effect)) return { audit: auditSeqs, events: eventSeqs };
      throw new Error(`${change.what} changed state but recorded no audit entry`);
    }
    const last = entries.length - 1;
    for (const [i, entry] of entries.entries()) {
      if (i < last) {
        auditSeqs.push(await appendAudit(tx, actor, entry));
        continue;
      }
      const own = entry.details && typeof entry.details === "object" ? (entry.details as Record<string, unknown>) : {};
      const resolved = effect.resolved.map((r) => ({
        strategy: r.strategy,
        environment: r.environment,
        before: r.before,
        after: r.after,
      }));
      auditSeqs.push(
        await appendAudit(tx, actor, {
          ...entry,
          details: {
            ...own,
            ...(eventSeqs.length > 0 ? { event_seqs: eventSeqs, resolved } : {}),
            ...(effect.weakenings.length > 0 ? { weakenings: effect.weakenings } : {}),
            ...findings,
          },
        }),
      );
    }
    return { audit: auditSeqs, events: eventSeqs };
  }

  async function attempt<T>(tx: Queryable, actor: Actor, change: Change<T>): Promise<Attempt<T>> {
    const { record, state } = recorder(actor, (environment) => sources.activeFreeze(tx, environment, new Date()));
    const affects: readonly Affects[] = change.affects ?? [];
    await takeLocks(tx, change as Change<unknown>);
    await claimIdempotencyKey(tx, actor);
    if (change.prepare) {
      const untouched = await sources.inputs(tx);
      await change.prepare(tx, record);
      const moved = undeclaredChanges([], untouched, await sources.inputs(tx), await changedByThisTransaction(tx));
      if (moved.length > 0) throw new Error(`${change.what} changed ${moved.join(", ")} while preparing`);
    }
    state.phase = "work";
    const { snapshot: before, pairs } = await takeSnapshot(tx, sources, affects);
    await tx.query("SAVEPOINT governed_change");

    /** Undoes the work and closes the request being applied as stale (committed), then answers 409. */
    const stale = async (applying: ApplyingRequest, problem: string): Promise<Attempt<T>> => {
      await tx.query("ROLLBACK TO SAVEPOINT governed_change");
      await closeChangeRequest(tx, applying.id, "stale", actor.name);
      await appendAudit(tx, actor, {
        action: "change_request.stale",
        target_type: "change_request",
        target_id: String(applying.id),
        environment: applying.environments.length === 1 ? applying.environments[0] : null,
        details: { problem },
      });
      return {
        refusal: new StaleError(`change request ${applying.id} is stale: ${problem}; propose it again`),
        after: [],
      };
    };

    let result: T;
    try {
      result = await change.work(tx, record);
    } catch (error) {
      // What the request was based on no longer holds: it is closed as stale (other refusals leave it pending).
      if (state.applying && error instanceof StaleError) return stale(state.applying, error.detail);
      throw error;
    }
    const { snapshot: after } = await takeSnapshot(tx, sources, affects, pairs);
    const undeclared = undeclaredChanges(affects, before.inputs, after.inputs, await changedByThisTransaction(tx));
    if (undeclared.length > 0) throw new Error(`${change.what} changed ${undeclared.join(", ")} without declaring it`);
    const effect = effectOf(before, after);
    checkNothingEmptied(change.what, effect);
    await checkImmutables(tx, sources, change.what, effect, before, after);
    const policies = before.governance.policies;
    // A rollout's next step, completion or return carries out what its start was approved for.
    const continued = change.continuesRollout && continuesRollout(effect, change.continuesRollout);
    const need = continued ? null : approvalNeed(effect, policies);
    const findings: Record<string, unknown> = {};
    let overrides: FreezeOverride[] = [];

    const applying = state.applying;
    if (applying) {
      if (applying.effect_hash !== null && effectHash(effect) !== applying.effect_hash) {
        return stale(
          applying,
          "what it would change now differs from what was approved (the configs or rules it changes have changed since)",
        );
      }
      const { approved_by } = await checkApplication(tx, actor, applying, effect, policies);
      overrides = await checkFreezes(tx, sources, actor, effect, change.freezeOverrideReason);
      await closeChangeRequest(tx, applying.id, "applied", actor.name, applying.break_glass_reason);
      Object.assign(findings, {
        change_request_id: applying.id,
        proposed_by: applying.author,
        ...(applying.break_glass_reason !== undefined
          ? { break_glass_reason: applying.break_glass_reason }
          : { approved_by }),
      });
    } else if (need) {
      if (!change.propose) {
        throw new ConflictError(`${change.what} needs approval (${need.reasons.join("; ")}) and cannot be proposed`);
      }
      const proposal = change.propose(result);
      await tx.query("ROLLBACK TO SAVEPOINT governed_change");
      const hash = effectHash(effect);
      for (const entry of state.prepared) await appendAudit(tx, actor, entry);
      const existing = await findPendingProposal(tx, hash, proposal.command.name);
      if (existing !== undefined) {
        return { committed: { outcome: "proposed", change_request_id: existing, created: false }, after: [] };
      }
      const environments = [...new Set([...need.environments, ...(declaredEnvironments(change) ?? [])])].sort();
      const id = await insertProposal(tx, actor, {
        ...proposal,
        effect,
        effect_hash: hash,
        environments,
        reasons: need.reasons,
        approvals_required: need.approvals_required,
        ttlHours: deps.changeRequestTtlHours,
      });
      await appendAudit(tx, actor, {
        action: "change_request.create",
        target_type: "change_request",
        target_id: String(id),
        environment: proposal.environment,
        after: {
          kind: proposal.kind,
          summary: proposal.summary,
          command: proposal.command,
          effect_hash: hash,
          reasons: need.reasons,
          approvals_required: need.approvals_required,
          ...(proposal.activation
            ? {
                strategy: proposal.activation.strategy,
                config_id: proposal.activation.config_id,
                config_hash: proposal.activation.config_hash,
                base_config_id: proposal.activation.base_config_id,
              }
            : {}),
        },
        details: { diff: proposal.diff, resolved: effect.resolved.map(({ diff: _, ...r }) => r) },
      });
      return { committed: { outcome: "proposed", change_request_id: id, created: true }, after: [] };
    } else {
      overrides = await checkFreezes(tx, sources, actor, effect, change.freezeOverrideReason);
    }
    if (overrides.length > 0) findings.freeze_overrides = overrides;
    if (continued && change.continuesRollout) findings.continues_rollout = change.continuesRollout.id;
    const trail = await writeTrail(
      tx,
      actor,
      change as Change<unknown>,
      effect,
      after,
      before,
      [...state.prepared, ...state.worked],
      findings,
    );
    // The change id in the logs: its audit entries' seqs (and its events'), with the request id.
    // The platform's own changes (demo data, start-up, background jobs) at debug: people's at info.
    state.after.push(() => {
      const log = deps.log?.();
      (actor.kind === "system" ? log?.debug.bind(log) : log?.info.bind(log))?.(
        {
          request_id: actor.requestId,
          actor: actor.name,
          change: change.what,
          audit_seqs: trail.audit,
          event_seqs: trail.events,
        },
        "change committed",
      );
    });
    const announce = deps.announce;
    if (announce) {
      for (const o of overrides) {
        state.after.push(() =>
          announce({
            kind: "freeze_override",
            summary: `${actor.name} overrode freeze window ${o.window_id} ("${o.window_reason}") of ${o.environment}: ${change.what}: ${o.reason}`,
            actor: actor.name,
            ...o,
          }),
        );
      }
    }
    return {
      committed: { outcome: "applied", result, effect },
      ...(state.refusal ? { refusal: state.refusal } : {}),
      after: state.after,
    };
  }

  return {
    /**
     * Carries out `change` for `actor`: applied (state, events and audit entries committed
     * together), or proposed as a change request when it needs four eyes. Refusals throw.
     */
    async commitChange<T>(actor: Actor, change: Change<T>): Promise<Committed<T>> {
      if (inGovernedChange()) throw new Error(`${change.what}: commitChange called inside another change`);
      checkScope(actor, change as Change<unknown>);
      for (let n = 1; ; n++) {
        try {
          const outcome = await governed(() => db.transaction((tx) => attempt(tx, actor, change)));
          for (const fn of outcome.after) {
            try {
              await fn();
            } catch {
              // an announcement that fails never undoes or fails a committed change
            }
          }
          if (outcome.refusal) throw outcome.refusal;
          return outcome.committed as Committed<T>;
        } catch (error) {
          if (!retryable(error) || n >= MAX_ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** n + Math.random() * 20));
        }
      }
    },

    /** Registers a change that change requests can hold and carry out again later. */
    registerCommand(name: string, build: (payload: JsonValue) => Change<unknown>): void {
      if (commands.has(name)) throw new Error(`command ${name} is registered twice`);
      commands.set(name, build);
    },

    /** The change a stored command carries out. */
    commandChange(command: Command): Change<unknown> {
      const build = commands.get(command.name);
      if (!build) throw new Error(`no command ${command.name} is registered`);
      return build(command.payload);
    },
  };
}

export type ChangeKernel = ReturnType<typeof changeKernel>;
