/**
 * @module Registering runs from before the migration: each becomes an ended run of kind `legacy`,
 * bound like every run to a parameter set, of the legacy schema (`tradai.parameter-set/1`: no
 * catalog metadata, no code), so comparisons say it cannot be judged. Registered once per source
 * and legacy id; all of a batch in one governed change. The values are kept as the legacy system
 * recorded them: they are evidence of what ran, and reach no run or worker (a legacy run cannot be
 * re-run).
 */
import { randomUUID } from "node:crypto";
import {
  contentHash,
  type JsonValue,
  type LegacyRun,
  type LegacyRunsImportBody,
  type LegacyRunsImportResult,
  leaves,
  type ParameterSet,
} from "@tradai/core";
import type { Change } from "../../changes/change.js";
import type { Queryable } from "../../db/database.js";
import { parameterSetStore } from "../parameter-sets/store.js";

function legacySet(run: LegacyRun): { set: ParameterSet; hash: string } {
  const set: ParameterSet = {
    schema: "tradai.parameter-set/1",
    strategy: run.strategy,
    values: run.parameters,
    provenance: Object.fromEntries([...leaves(run.parameters).keys()].map((key) => [key, "reported" as const])),
    platform_version: "legacy",
    launcher: "legacy",
  };
  return { set, hash: contentHash(set as unknown as JsonValue) };
}

/** What would be registered, and what is already (reads only: a dry run is this). */
export async function planLegacyRuns(
  q: Queryable,
  body: LegacyRunsImportBody,
  environment: string,
): Promise<LegacyRunsImportResult> {
  const { rows } = await q.query<{ legacy_id: string; job_id: string }>(
    "SELECT legacy_id, job_id FROM runs WHERE legacy_source = $1 AND legacy_id = ANY($2::text[])",
    [body.source, body.runs.map((r) => r.legacy_id)],
  );
  const known = new Map(rows.map((r) => [r.legacy_id, r.job_id]));
  const seen = new Set<string>();
  const runs = body.runs.map((run) => {
    const job = known.get(run.legacy_id);
    // The same id twice in one batch: one run (the first).
    const action = job || seen.has(run.legacy_id) ? ("registered_already" as const) : ("register" as const);
    seen.add(run.legacy_id);
    return {
      legacy_id: run.legacy_id,
      strategy: run.strategy,
      action,
      job_id: job ?? null,
      parameter_set_hash: legacySet(run).hash,
    };
  });
  const registered = runs.filter((r) => r.action === "register").length;
  const already = runs.length - registered;
  return {
    outcome: registered === 0 ? "unchanged" : "planned",
    environment,
    source: body.source,
    runs,
    registered,
    already,
    summary:
      registered === 0
        ? `nothing to change: the ${runs.length} legacy run(s) from ${body.source} are registered already`
        : `${registered} legacy run(s) to register in ${environment}${already > 0 ? `, ${already} registered already` : ""}; they are marked legacy: no comparison judges them, none can be re-run`,
  };
}

export function legacyRunsChange(body: LegacyRunsImportBody, environment: string): Change<LegacyRunsImportResult> {
  return {
    what: `registering ${body.runs.length} legacy run(s) from ${body.source} (${environment})`,
    acts: [environment],
    async work(tx, record) {
      const plan = await planLegacyRuns(tx, body, environment);
      if (plan.outcome === "unchanged") return plan;
      const sets = parameterSetStore(tx);
      const runs = [];
      for (const [i, step] of plan.runs.entries()) {
        if (step.action !== "register") {
          runs.push(step);
          continue;
        }
        const run = body.runs[i] as LegacyRun;
        const { set, hash } = legacySet(run);
        await sets.save(hash, set, null);
        const jobId = randomUUID();
        await tx.query(
          `INSERT INTO runs (job_id, kind, strategy_name, environment, parameter_set_hash, task_definition, launch_input,
             tags, submitted_by, created_at, status, progress, started_at, finished_at, metrics, result_location,
             experiment_name, legacy_source, legacy_id)
           VALUES ($1, 'legacy', $2, $3, $4, 'legacy', $5::jsonb, '{}'::jsonb, $6, $7, $8, 100, $7, $9, $10::jsonb, $11,
             $12, $13, $14)`,
          [
            jobId,
            run.strategy,
            environment,
            hash,
            JSON.stringify(run),
            run.author ?? record.actor.name,
            run.started_at,
            run.status,
            run.finished_at ?? run.started_at,
            run.metrics ? JSON.stringify(run.metrics) : null,
            run.result_location ?? null,
            run.experiment_name ?? null,
            body.source,
            run.legacy_id,
          ],
        );
        runs.push({ ...step, job_id: jobId });
      }
      record.audit({
        action: "import.apply",
        target_type: "import",
        target_id: `legacy-runs:${body.source}`,
        environment,
        after: {
          kind: "legacy-runs",
          source: body.source,
          registered: runs
            .filter((r) => r.action === "register")
            .map((r) => ({ legacy_id: r.legacy_id, job_id: r.job_id })),
        } as unknown as JsonValue,
      });
      return { ...plan, outcome: "applied", runs };
    },
  };
}
