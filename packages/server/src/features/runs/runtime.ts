/** @module What runs need from settings: the artifact store, the tracker, task definitions, the launcher. */
import { resolve } from "node:path";
import type { FastifyBaseLogger } from "fastify";
import type { Database } from "../../db/database.js";
import type { Settings } from "../../settings.js";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { localArtifactStore } from "../artifacts/local-artifact-store.js";
import { s3ArtifactStore } from "../artifacts/s3-artifact-store.js";
import { mlflowTracker, type RunTracker } from "../tracking/mlflow-tracker.js";
import { type Launcher, startLocalLauncher } from "./launcher/local-launcher.js";
import { type TaskDefinitions, taskDefinitionsFactory } from "./task-definitions.js";

export interface RunRuntime {
  artifacts: ArtifactStore;
  tracker: RunTracker | undefined;
  tasks: TaskDefinitions;
}

export function runRuntime(settings: Settings): RunRuntime {
  return {
    artifacts: settings.resultsBucket
      ? s3ArtifactStore(settings.resultsBucket, settings.s3Endpoint)
      : localArtifactStore(resolve(settings.artifactsDir)),
    tracker: settings.mlflowTrackingUri ? mlflowTracker(settings.mlflowTrackingUri) : undefined,
    tasks: taskDefinitionsFactory(settings.environments, { ...settings.taskDefinitions }),
  };
}

export function launcherFor(
  settings: Settings,
  db: Database,
  runtime: RunRuntime,
  serverUrl: string,
  log: FastifyBaseLogger,
): Launcher {
  return startLocalLauncher({
    db,
    artifacts: runtime.artifacts,
    tracker: runtime.tracker,
    log,
    serverUrl,
    workDir: resolve(settings.workDir),
    marketDataDir: settings.marketDataDir ? resolve(settings.marketDataDir) : undefined,
    concurrency: settings.runConcurrency,
    leaseSeconds: settings.runLeaseSeconds,
    cancelGraceMs: settings.cancelGraceSeconds * 1000,
  });
}
