/**
 * @module A staged rollout's transitions, each one governed change (issue 19, decision 012):
 * start (judged like an activation on what the first step's workers get: freeze, scope, four eyes,
 * immutables; proposed as a change request where the environment asks), the next step, pause and
 * resume, and the end: completed (the version activated for all), rolled back (a guard tripped) or
 * aborted (someone stopped it). Every transition after the start carries out what the start was
 * judged on; the kernel still refuses it in a freeze, unless it returns workers to the active
 * version.
 */
import {
  diffValues,
  type JsonValue,
  NO_ASSIGNMENT,
  type RolloutRequest,
  rolloutEnded,
  startStep,
  stepTarget,
  stepWorkers,
  type ValuesDiff,
} from "@tradai/core";
import type { Change, ChangeRecord } from "../../changes/change.js";
import type { Queryable } from "../../db/database.js";
import { ConflictError, NotFoundError, PreconditionFailedError, StaleError } from "../../http/errors.js";
import { activationChange } from "../activation/change.js";
import { checkActivation } from "../catalog/checks.js";
import { configStore } from "../configs/store.js";
import { type RolloutRow, rolloutStore } from "./store.js";

/** The workers of the environment that run the strategy now: those a share step ranks. */
export async function knownWorkers(q: Queryable, strategy: string, environment: string): Promise<string[]> {
  const { rows } = await q.query<{ worker_id: string }>(
    `SELECT worker_id FROM workers WHERE environment = $1 AND retired_at IS NULL AND applied @> $2::jsonb
     ORDER BY worker_id`,
    [environment, JSON.stringify([{ strategy }])],
  );
  return rows.map((r) => r.worker_id);
}

/** What a rollout change request holds (the request as asked, and the id it starts with). */
export interface RolloutStartCommand extends RolloutRequest {
  id: string;
  /** the version active when it was asked for: a request applied later must find it still active */
  expected_active: string | null;
}

export function rolloutStartChange(command: RolloutStartCommand): Change<{ row: RolloutRow; diff: ValuesDiff }> {
  const c = command;
  return {
    what: `the staged rollout of ${c.config_id} of ${c.strategy} in ${c.environment}`,
    affects: [{ strategy: c.strategy, environment: c.environment }],
    async work(tx, record) {
      const stale = (problem: string) => {
        if (record.applying) throw new StaleError(problem);
      };
      const configs = configStore(tx);
      const at = await configs.lockStrategy(c.strategy);
      if (!at) throw new NotFoundError(`unknown strategy "${c.strategy}"`);
      const version = await configs.findByConfigId(c.strategy, c.config_id);
      if (!version || version.deprecated_at) stale(`version ${c.config_id} is no longer available as proposed`);
      if (!version) throw new NotFoundError(`strategy "${c.strategy}" has no config version "${c.config_id}"`);
      if (version.deprecated_at)
        throw new ConflictError(
          `config version ${c.config_id} of ${c.strategy} was deprecated and cannot be rolled out`,
        );
      const active = await configs.openActivation(c.strategy, c.environment);
      const activeId = active?.config_id ?? null;
      if (activeId !== c.expected_active) {
        const problem = `${c.environment} now runs ${activeId ?? "no version"}, not ${c.expected_active ?? "no version"}`;
        stale(problem);
        throw new PreconditionFailedError(`${problem} as when the rollout was asked for; decide again`);
      }
      if (!active)
        throw new ConflictError(
          `${c.strategy} has no active version in ${c.environment}: a rollout needs one for the workers it does not assign yet; activate ${c.config_id} instead`,
        );
      if (active.config_id === c.config_id)
        throw new ConflictError(
          `${c.config_id} is already active for every worker of ${c.strategy} in ${c.environment}`,
        );
      const open = await rolloutStore(tx).open(c.strategy, c.environment);
      if (open)
        throw new ConflictError(
          `rollout ${open.id} of ${open.config_id} is still ${open.state} for ${c.strategy} in ${c.environment}: abort it first`,
        );
      // Refuse what could never be activated for all, rather than roll it out halfway.
      await checkActivation(tx, { strategy: c.strategy, environment: c.environment, configData: version.config_data });
      const first = c.steps[0] as RolloutRequest["steps"][number];
      const known = await knownWorkers(tx, c.strategy, c.environment);
      const row: RolloutRow = {
        id: c.id,
        environment: c.environment,
        strategy_name: c.strategy,
        config_version_id: version.id,
        config_id: version.config_id,
        config_hash: version.config_hash,
        from_config_id: activeId,
        steps: c.steps,
        guards: c.guards,
        state: "running",
        step: 0,
        step_started_at: at,
        assignment: startStep(c.id, NO_ASSIGNMENT, stepTarget(first), known),
        change_request_id: record.applying?.id ?? null,
        created_by: record.actor.name,
        created_at: at,
        ended_at: null,
        end_reason: null,
      };
      await rolloutStore(tx).insert(row);
      const before = (await configs.findByConfigId(c.strategy, active.config_id))?.config_data ?? {};
      const diff = diffValues(before, version.config_data);
      record.audit({
        action: "rollout.start",
        target_type: "rollout",
        target_id: c.id,
        environment: c.environment,
        before: { active_config_id: activeId },
        after: { config_id: version.config_id, config_hash: version.config_hash, step: 0, workers: stepWorkers(first) },
        details: { strategy: c.strategy, steps: c.steps, guards: c.guards, workers_known: known.length },
      });
      return { row, diff };
    },
    propose: ({ diff }) => ({
      kind: "rollout",
      command: { name: "rollout_start", payload: c as unknown as JsonValue },
      summary: `roll out ${c.config_id} of ${c.strategy} in ${c.environment} in ${c.steps.length} step(s): ${c.steps.map(stepWorkers).join(", then ")}`,
      environment: c.environment,
      diff,
    }),
  };
}

/** The open rollout `id`, locked for the change; refuses one that ended or another. */
async function openRollout(tx: Queryable, id: string, record: ChangeRecord): Promise<RolloutRow> {
  const row = await rolloutStore(tx).find(id);
  if (!row) throw new NotFoundError(`no rollout ${id}`);
  if (rolloutEnded(row.state)) {
    if (record.actor.kind === "system") throw new StaleError(`rollout ${id} already ended (${row.state})`);
    throw new ConflictError(`rollout ${id} already ended (${row.state}${row.end_reason ? `: ${row.end_reason}` : ""})`);
  }
  return row;
}

type Pair = { strategy: string; environment: string; id: string };

/**
 * The next step: from `fromStep` (the driver's view; a replica that finds it moved already does
 * nothing). Past the last step, the rollout completes: its version is activated for all.
 */
export function rolloutAdvanceChange(
  p: Pair & { config_id: string; fromStep: number; reason: string },
): Change<{ moved: boolean; completed: boolean }> {
  return {
    what: `the next step of rollout ${p.id} of ${p.strategy} in ${p.environment}`,
    affects: [{ strategy: p.strategy, environment: p.environment }],
    continuesRollout: { id: p.id, strategy: p.strategy, environment: p.environment, config_id: p.config_id },
    async work(tx, record) {
      const at = await configStore(tx).lockStrategy(p.strategy);
      const row = await openRollout(tx, p.id, record);
      if (row.step !== p.fromStep || row.state !== "running") return { moved: false, completed: false };
      const store = rolloutStore(tx);
      const next = row.step + 1;
      const target = row.steps[next];
      if (!target) {
        await completeRollout(tx, record, row, p.reason, at as Date);
        return { moved: true, completed: true };
      }
      const known = await knownWorkers(tx, row.strategy_name, row.environment);
      await store.moveTo(row.id, next, startStep(row.id, row.assignment, stepTarget(target), known), at as Date);
      record.audit({
        action: "rollout.step",
        target_type: "rollout",
        target_id: row.id,
        environment: row.environment,
        before: { step: row.step },
        after: { step: next, workers: stepWorkers(target) },
        details: {
          strategy: row.strategy_name,
          config_id: row.config_id,
          reason: p.reason,
          workers_known: known.length,
        },
      });
      return { moved: true, completed: false };
    },
  };
}

async function completeRollout(tx: Queryable, record: ChangeRecord, row: RolloutRow, reason: string, at: Date) {
  await rolloutStore(tx).end(row.id, "completed", reason, at);
  // The version becomes active for all through the activation's own work (its checks, its audit entry).
  const activation = activationChange(
    () => ({
      strategy: row.strategy_name,
      config_id: row.config_id,
      environment: row.environment,
      expected_active: row.from_config_id,
      via: "activation",
    }),
    { described: { strategy: row.strategy_name, config_id: row.config_id, environment: row.environment } },
  );
  await activation.work(tx, record);
  record.audit({
    action: "rollout.complete",
    target_type: "rollout",
    target_id: row.id,
    environment: row.environment,
    before: { step: row.step, active_config_id: row.from_config_id },
    after: { state: "completed", active_config_id: row.config_id },
    details: { strategy: row.strategy_name, reason },
  });
}

/** Pause or resume a rollout: its steps stop moving (the assigned workers keep its version). */
export function rolloutPauseChange(p: Pair & { paused: boolean }): Change<RolloutRow> {
  return {
    what: `${p.paused ? "pausing" : "resuming"} rollout ${p.id} of ${p.strategy} in ${p.environment}`,
    affects: [{ strategy: p.strategy, environment: p.environment }],
    async work(tx, record) {
      const at = await configStore(tx).lockStrategy(p.strategy);
      const row = await openRollout(tx, p.id, record);
      const want = p.paused ? "paused" : "running";
      if (row.state === want) return row;
      await rolloutStore(tx).setState(row.id, want, at as Date);
      record.audit({
        action: p.paused ? "rollout.pause" : "rollout.resume",
        target_type: "rollout",
        target_id: row.id,
        environment: row.environment,
        before: { state: row.state },
        after: { state: want },
        details: { strategy: row.strategy_name, step: row.step },
      });
      return (await rolloutStore(tx).find(row.id)) as RolloutRow;
    },
  };
}

/**
 * Ends a rollout without its version: every worker it assigned resolves the active version again.
 * `rolled_back` when a guard tripped (the audit entry names it and its figures), `aborted` by hand.
 */
export function rolloutEndChange(
  p: Pair & { state: "rolled_back" | "aborted"; reason: string; guard?: JsonValue | undefined },
): Change<RolloutRow | null> {
  return {
    what: `${p.state === "rolled_back" ? "rolling back" : "aborting"} rollout ${p.id} of ${p.strategy} in ${p.environment}`,
    affects: [{ strategy: p.strategy, environment: p.environment }],
    async work(tx, record) {
      const at = await configStore(tx).lockStrategy(p.strategy);
      const row = await openRollout(tx, p.id, record);
      await rolloutStore(tx).end(row.id, p.state, p.reason, at as Date);
      record.audit({
        action: p.state === "rolled_back" ? "rollout.rollback" : "rollout.abort",
        target_type: "rollout",
        target_id: row.id,
        environment: row.environment,
        before: { state: row.state, step: row.step },
        after: { state: p.state, active_config_id: row.from_config_id },
        details: {
          strategy: row.strategy_name,
          config_id: row.config_id,
          reason: p.reason,
          ...(p.guard !== undefined ? { guard: p.guard } : {}),
        },
      });
      return (await rolloutStore(tx).find(row.id)) ?? null;
    },
  };
}
