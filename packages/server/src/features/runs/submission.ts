/**
 * @module Submitting a backtest: resolve the config version (an id or `ACTIVE`), merge its data
 * under the request, check that everything the launcher needs is there, freeze the result into
 * a parameter set, and queue the run bound to it. All or nothing, in one governed change.
 */
import { randomUUID } from "node:crypto";
import {
  ACTIVE_ALIAS,
  contentHash,
  type JsonValue,
  mergeRunValues,
  PARAMETER_SET_SCHEMA,
  type ParameterSet,
  resolvedBacktestValues,
  type SubmitBacktestBody,
  type SubmitBacktestResponse,
} from "@tradai/core";
import type { FastifyBaseLogger } from "fastify";
import type { Actor } from "../../changes/actor.js";
import { type ChangeRecord, mustApply } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Queryable } from "../../db/database.js";
import { ConflictError, InvalidInputError, NotFoundError } from "../../http/errors.js";
import { configStore } from "../configs/store.js";
import type { Environments } from "../environments/environments.js";
import { parameterSetStore } from "../parameter-sets/store.js";
import { strategyLayers } from "../resolution/layers.js";
import { type NewRun, runStore } from "./store.js";
import type { TaskDefinitions } from "./task-definitions.js";

export interface SubmissionDeps {
  db: Queryable;
  changes: ChangeKernel;
  environments: Environments;
  tasks: TaskDefinitions;
  platformVersion: string;
  launcher: string;
}

interface BoundVersion {
  id: number;
  configId: string;
  hash: string;
  data: Record<string, unknown>;
}

async function resolveVersion(
  q: Queryable,
  strategy: string,
  requested: string,
  environment: string,
  log: FastifyBaseLogger,
): Promise<BoundVersion> {
  const store = configStore(q);
  let configId = requested;
  if (requested === ACTIVE_ALIAS) {
    const active = await store.openActivation(strategy, environment);
    if (!active) {
      throw new ConflictError(
        `strategy "${strategy}" has no active config version in ${environment}; activate one or name a version explicitly`,
      );
    }
    configId = active.config_id;
    log.info(
      { strategy, environment, config_version_id: configId },
      `Resolved 'ACTIVE' to config version: ${configId}`,
    );
  }
  const version = await store.findByConfigId(strategy, configId);
  if (!version) throw new NotFoundError(`strategy "${strategy}" has no config version "${configId}"`);
  if (version.deprecated_at) {
    throw new ConflictError(`config version ${configId} of ${strategy} is deprecated and cannot be used for new runs`);
  }
  return { id: version.id, configId, hash: version.config_hash, data: version.config_data };
}

/** 422 naming each missing or invalid merged value, and where it came from. */
function checkResolved(values: Record<string, unknown>, provenance: Record<string, string>, versionId?: string) {
  const parsed = resolvedBacktestValues.safeParse(values);
  if (parsed.success) return;
  const errors = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "");
    const ORIGINS: Record<string, string> = {
      config_version: ` (from config version ${versionId})`,
      catalog_default: " (the catalog's default)",
      environment_base: " (from the environment's base values)",
      request: "",
    };
    const layer = provenance[key] ?? Object.entries(provenance).find(([path]) => path.startsWith(`${key}.`))?.[1];
    const origin = layer
      ? (ORIGINS[layer] ?? "")
      : ` (missing: give it in the request${versionId ? ` or in config version ${versionId}` : " or bind a config version that has it"})`;
    return { field: `config.${issue.path.join(".")}`, location: "body" as const, message: `${issue.message}${origin}` };
  });
  throw new InvalidInputError(errors.map((e) => `${e.field}: ${e.message}`).join("; "), errors);
}

export function submissionServiceFactory({
  db,
  changes,
  environments,
  tasks,
  platformVersion,
  launcher,
}: SubmissionDeps) {
  /** Queues a run bound to `parameterSet` (already stored or stored here). */
  async function queueRun(
    q: Queryable,
    input: {
      parameterSet: ParameterSet;
      hash: string;
      versionId: number | null;
      environment: string;
      experimentName: string | null;
      priority: number;
      rerunOf: string | null;
      actor: Actor;
      record: ChangeRecord;
    },
  ): Promise<string> {
    const { parameterSet, hash } = input;
    const taskName =
      (parameterSet.values.task_definition as string | undefined) ?? tasks.defaultFor(parameterSet.strategy);
    const task = taskName ? tasks.find(taskName) : undefined;
    if (!task) {
      const known = tasks.names().join(", ");
      throw InvalidInputError.field(
        "body",
        "config.task_definition",
        taskName
          ? `unknown task definition "${taskName}"; known: ${known}`
          : `strategy "${parameterSet.strategy}" has no default worker: name a task_definition (known: ${known})`,
      );
    }
    const jobId = randomUUID();
    const versionFields: Record<string, string> = parameterSet.config_version_id
      ? { config_version_id: parameterSet.config_version_id }
      : {};
    const run: NewRun = {
      jobId,
      strategy: parameterSet.strategy,
      environment: input.environment,
      parameterSetHash: hash,
      versionId: input.versionId,
      configVersionId: parameterSet.config_version_id ?? null,
      experimentName: input.experimentName,
      priority: input.priority,
      taskDefinition: task.name,
      // Point 1 of 5: exactly what the launcher is asked to start.
      launchInput: {
        job_id: jobId,
        strategy: parameterSet.strategy,
        environment: input.environment,
        task_definition: task.name,
        command: task.command,
        ...versionFields,
        parameter_set_hash: hash,
        experiment_name: input.experimentName,
        priority: input.priority,
      },
      tags: {
        job_id: jobId,
        strategy: parameterSet.strategy,
        environment: input.environment,
        ...versionFields,
        parameter_set_hash: hash,
        ...(input.experimentName ? { experiment_name: input.experimentName } : {}),
        platform_version: platformVersion,
        launcher,
      },
      rerunOf: input.rerunOf,
      submittedBy: input.actor.name,
    };
    await parameterSetStore(q).save(hash, parameterSet, input.versionId);
    await runStore(q).insert(run);
    input.record.audit({
      action: input.rerunOf ? "run.rerun" : "run.submit",
      target_type: "run",
      target_id: jobId,
      environment: input.environment,
      after: run.launchInput,
      details: input.rerunOf ? { rerun_of: input.rerunOf } : null,
    });
    return jobId;
  }

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
        work: async (tx, record) => {
          const version = config.config_version_id
            ? await resolveVersion(tx, config.strategy, config.config_version_id, environment, log)
            : undefined;
          const under = await strategyLayers(tx, config.strategy, environment);
          if (version) under.layers.push({ layer: "config_version", source: version.configId, values: version.data });
          const { values, provenance, merged } = mergeRunValues(config, under.layers, under.opaque);
          if (version) {
            log.info(
              { config_version_id: version.configId, merged },
              `Merged config_data defaults from ${version.configId}: [${merged.map((k) => `'${k}'`).join(", ")}]`,
            );
          }
          checkResolved(values, provenance, version?.configId);
          const parameterSet: ParameterSet = {
            schema: PARAMETER_SET_SCHEMA,
            strategy: config.strategy,
            values,
            provenance,
            ...(version ? { config_version_id: version.configId, config_hash: version.hash } : {}),
            ...(under.catalogRevision > 0 ? { catalog_revision: under.catalogRevision } : {}),
            ...(under.baseRevision > 0 ? { environment_base: { environment, revision: under.baseRevision } } : {}),
            platform_version: platformVersion,
            launcher,
          };
          const hash = contentHash(parameterSet as unknown as JsonValue);
          const jobId = await queueRun(tx, {
            parameterSet,
            hash,
            versionId: version?.id ?? null,
            environment,
            experimentName: body.experiment_name ?? null,
            priority: body.priority ?? 0,
            rerunOf: null,
            actor,
            record,
          });
          return {
            job_id: jobId,
            status: "queued" as const,
            parameter_set_hash: hash,
            ...(version ? { config_version_id: version.configId } : {}),
            merged_from_config_version: merged,
          };
        },
      });
      return mustApply(submitted);
    },

    /** A new run bound to the same parameter set as `jobId` (nothing is re-resolved). */
    async rerun(jobId: string, actor: Actor): Promise<SubmitBacktestResponse> {
      const run = await runStore(db).find(jobId);
      if (!run) throw new NotFoundError(`no run ${jobId}`);
      const rerun = await changes.commitChange(actor, {
        what: `a re-run of ${jobId}`,
        acts: [run.environment],
        async work(tx, record) {
          const original = await runStore(tx).find(jobId);
          if (!original) throw new NotFoundError(`no run ${jobId}`);
          const stored = await parameterSetStore(tx).find(original.parameter_set_hash);
          if (!stored) throw new Error(`run ${jobId} points at a missing parameter set`); // the FK makes this impossible
          const newJobId = await queueRun(tx, {
            parameterSet: stored.document,
            hash: original.parameter_set_hash,
            versionId: original.version_id,
            environment: original.environment,
            experimentName: original.experiment_name,
            priority: original.priority,
            rerunOf: jobId,
            actor,
            record,
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
