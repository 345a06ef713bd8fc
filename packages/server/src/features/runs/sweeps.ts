/**
 * @module Sweeps: one run per point of a grid the catalog gives (each parameter's allowed values,
 * steps or variants), all in one governed change and one sweep id. Each point is checked as any
 * run is; a point the catalog refuses (a coherence rule across its values) is skipped and said so.
 */
import { randomUUID } from "node:crypto";
import {
  contentHash,
  type JsonValue,
  MAX_SWEEP_RUNS,
  type SubmitSweepBody,
  type SubmitSweepResponse,
  type SweepView,
} from "@tradai/core";
import type { FastifyBaseLogger } from "fastify";
import type { Actor } from "../../changes/actor.js";
import { mustApply } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Queryable } from "../../db/database.js";
import { InvalidInputError, NotFoundError } from "../../http/errors.js";
import { gridOf } from "../catalog/sweep-grid.js";
import type { Environments } from "../environments/environments.js";
import { parameterSetOf } from "./parameter-set-of.js";
import { queueRun } from "./queue-run.js";
import { deprecationWarnings, runValues } from "./run-values.js";
import { runStore } from "./store.js";
import { taskFor } from "./submission.js";
import type { TaskDefinitions } from "./task-definitions.js";
import { toRun } from "./view.js";

export interface SweepDeps {
  db: Queryable;
  changes: ChangeKernel;
  environments: Environments;
  tasks: TaskDefinitions;
  platformVersion: string;
  launcher: string;
}

export function sweepServiceFactory({ db, changes, environments, tasks, platformVersion, launcher }: SweepDeps) {
  return {
    async submit(
      body: SubmitSweepBody,
      actor: Actor,
      requestedEnvironment: string | undefined,
      log: FastifyBaseLogger,
    ): Promise<SubmitSweepResponse> {
      const environment = environments.resolve(requestedEnvironment);
      const strategy = body.config.strategy;
      const submitted = await changes.commitChange(actor, {
        what: `a sweep of ${strategy} over ${body.over.join(", ")} in ${environment}`,
        acts: [environment],
        async work(tx, record) {
          const grid = await gridOf(tx, body.over, strategy, { location: "body", field: "over" }, MAX_SWEEP_RUNS);
          const sweepId = randomUUID();
          const runs: SubmitSweepResponse["runs"] = [];
          const skipped: SubmitSweepResponse["skipped"] = [];
          for (const [index, point] of grid.combinations.entries()) {
            let v: Awaited<ReturnType<typeof runValues>>;
            try {
              v = await runValues(tx, body, environment, log, point);
            } catch (error) {
              if (!(error instanceof InvalidInputError) || !error.errors) throw error;
              skipped.push({ point, problems: error.errors.map(({ field, message }) => ({ field, message })) });
              continue;
            }
            const task = taskFor(tasks, strategy, v.values);
            const parameterSet = parameterSetOf({
              strategy,
              environment,
              v,
              task,
              allowed: body.allow_deprecated,
              sweep: { id: sweepId, point },
              platformVersion,
              launcher,
            });
            const hash = contentHash(parameterSet as unknown as JsonValue);
            const jobId = await queueRun(tx, record, {
              parameterSet,
              hash,
              task,
              versionId: v.version?.id ?? null,
              environment,
              experimentName: body.experiment_name ?? null,
              priority: body.priority ?? 0,
              rerunOf: null,
              warnings: deprecationWarnings(v.verdict, `used on purpose: ${body.allow_deprecated?.reason ?? ""}`),
              uncatalogued: v.verdict.uncatalogued,
              sweepId,
              platformVersion,
              launcher,
              point: { index, values: point, over: body.over },
            });
            runs.push({ job_id: jobId, point, parameter_set_hash: hash, status: "queued" });
          }
          if (runs.length === 0) {
            const errors = skipped.flatMap((s) => s.problems.map((p) => ({ ...p, location: "body" as const })));
            throw InvalidInputError.of(errors, `no point of the ${grid.combinations.length}-point grid is a valid run`);
          }
          return {
            sweep_id: sweepId,
            strategy,
            over: body.over,
            catalog_revision: grid.revision,
            size: grid.combinations.length,
            runs,
            skipped,
          };
        },
      });
      return mustApply(submitted);
    },

    /** The sweep's runs, each with its point: one table of points and their metrics. */
    async get(sweepId: string, reader: Actor): Promise<SweepView> {
      const { rows } = await runStore(db).list(
        { sweep_id: sweepId, environments: reader.environments },
        { limit: MAX_SWEEP_RUNS, offset: 0 },
      );
      if (rows.length === 0) throw new NotFoundError(`no sweep ${sweepId}`);
      const first = rows[0] as (typeof rows)[number];
      const over = (first.launch_input.sweep_over as string[] | undefined) ?? [];
      // In grid order (the runs were all queued in one transaction, at one time).
      const runs = [...rows]
        .sort((a, b) => Number(a.launch_input.sweep_index ?? 0) - Number(b.launch_input.sweep_index ?? 0))
        .map((row) => ({ ...toRun(row), point: (row.launch_input.sweep_point as Record<string, unknown>) ?? {} }));
      return {
        sweep_id: sweepId,
        strategy: first.strategy_name,
        over,
        runs,
        done: runs.filter((r) => ["completed", "failed", "cancelled"].includes(r.status)).length,
        total: runs.length,
      };
    },
  };
}

export type SweepService = ReturnType<typeof sweepServiceFactory>;
