/**
 * @module Submitting a backtest: its values (the config version, the layers under it, the
 * request), checked by the catalog as a config version is, frozen with everything reproduction
 * needs into a parameter set, and queued bound to it; or a re-run of an old one. All or nothing,
 * in one governed change: a refused request leaves no run and no parameter set.
 */
import { contentHash, type JsonValue, type SubmitBacktestBody, type SubmitBacktestResponse } from "@tradai/core";
import type { FastifyBaseLogger } from "fastify";
import type { Actor } from "../../changes/actor.js";
import { mustApply } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Queryable } from "../../db/database.js";
import { ConflictError, InvalidInputError, NotFoundError } from "../../http/errors.js";
import { checkRunValues } from "../catalog/checks.js";
import type { Environments } from "../environments/environments.js";
import { parameterSetStore } from "../parameter-sets/store.js";
import { parameterSetOf } from "./parameter-set-of.js";
import { queueRun } from "./queue-run.js";
import { deprecationWarnings, originOf, type RunValues, runValues } from "./run-values.js";
import { runStore } from "./store.js";
import type { TaskDefinition, TaskDefinitions } from "./task-definitions.js";

export interface SubmissionDeps {
  db: Queryable;
  changes: ChangeKernel;
  environments: Environments;
  tasks: TaskDefinitions;
  platformVersion: string;
  launcher: string;
}

/** The run's task: the one its values name, else its strategy's default. @throws InvalidInputError */
export function taskFor(tasks: TaskDefinitions, strategy: string, values: Record<string, unknown>): TaskDefinition {
  const name = (values.task_definition as string | undefined) ?? tasks.defaultFor(strategy);
  const task = name ? tasks.find(name) : undefined;
  if (task) return task;
  const known = tasks.names().join(", ");
  throw InvalidInputError.field(
    "body",
    "config.task_definition",
    name
      ? `unknown task definition "${name}"; known: ${known}`
      : `strategy "${strategy}" has no default worker: name a task_definition (known: ${known})`,
  );
}

export function submissionServiceFactory({
  db,
  changes,
  environments,
  tasks,
  platformVersion,
  launcher,
}: SubmissionDeps) {
  const setOf = (
    strategy: string,
    environment: string,
    v: RunValues,
    task: TaskDefinition,
    allowed: SubmitBacktestBody["allow_deprecated"],
  ) => parameterSetOf({ strategy, environment, v, task, allowed, platformVersion, launcher });

  return {
    async submit(
      body: SubmitBacktestBody,
      actor: Actor,
      requestedEnvironment: string | undefined,
      log: FastifyBaseLogger,
    ): Promise<SubmitBacktestResponse> {
      const environment = environments.resolve(requestedEnvironment);
      const { config } = body;
      const submitted = await changes.commitChange(actor, {
        what: `a ${config.strategy} backtest in ${environment}`,
        acts: [environment],
        async work(tx, record) {
          const v = await runValues(tx, body, environment, log);
          const task = taskFor(tasks, config.strategy, v.values);
          const parameterSet = setOf(config.strategy, environment, v, task, body.allow_deprecated);
          const hash = contentHash(parameterSet as unknown as JsonValue);
          const why = `used on purpose: ${body.allow_deprecated?.reason ?? ""}`;
          const jobId = await queueRun(tx, record, {
            parameterSet,
            hash,
            task,
            versionId: v.version?.id ?? null,
            environment,
            experimentName: body.experiment_name ?? null,
            priority: body.priority ?? 0,
            rerunOf: null,
            warnings: deprecationWarnings(v.verdict, why),
            uncatalogued: v.verdict.uncatalogued,
            sweepId: null,
            platformVersion,
            launcher,
          });
          return {
            job_id: jobId,
            status: "queued" as const,
            parameter_set_hash: hash,
            ...(v.version ? { config_version_id: v.version.configId } : {}),
            merged_from_config_version: v.merged,
          };
        },
      });
      return mustApply(submitted);
    },

    /**
     * A new run bound to the same parameter set as `jobId`: nothing is re-resolved. It reproduces
     * what ran, so values deprecated since are allowed, and flagged on the new run.
     */
    async rerun(jobId: string, actor: Actor): Promise<SubmitBacktestResponse> {
      const run = await runStore(db).find(jobId);
      if (!run) throw new NotFoundError(`no run ${jobId}`);
      if (run.kind === "legacy") {
        throw new ConflictError(
          `run ${jobId} is a legacy run (${run.legacy_id} from ${run.legacy_source}): nothing says which code ran it, so it cannot be re-run identically; submit its values as a new backtest`,
        );
      }
      const rerun = await changes.commitChange(actor, {
        what: `a re-run of ${jobId}`,
        acts: [run.environment],
        async work(tx, record) {
          const original = await runStore(tx).find(jobId);
          if (!original) throw new NotFoundError(`no run ${jobId}`);
          const stored = await parameterSetStore(tx).find(original.parameter_set_hash);
          if (!stored) throw new Error(`run ${jobId} points at a missing parameter set`); // the FK makes this impossible
          const set = stored.document;
          const verdict = await checkRunValues(
            tx,
            set.strategy,
            set.values,
            originOf(set.provenance, set.config_version_id),
            "all",
          );
          const newJobId = await queueRun(tx, record, {
            parameterSet: set,
            hash: original.parameter_set_hash,
            task: tasks.find(original.task_definition) ?? taskFor(tasks, set.strategy, set.values),
            versionId: original.version_id,
            environment: original.environment,
            experimentName: original.experiment_name,
            priority: original.priority,
            rerunOf: jobId,
            warnings: deprecationWarnings(verdict, `a re-run of ${jobId} reproduces it`),
            uncatalogued: original.uncatalogued,
            sweepId: null,
            platformVersion,
            launcher,
          });
          return {
            job_id: newJobId,
            status: "queued" as const,
            parameter_set_hash: original.parameter_set_hash,
            ...(original.config_version_id ? { config_version_id: original.config_version_id } : {}),
            merged_from_config_version: [],
          };
        },
      });
      return mustApply(rerun);
    },
  };
}

export type SubmissionService = ReturnType<typeof submissionServiceFactory>;
