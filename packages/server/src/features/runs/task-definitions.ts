/**
 * @module Task definitions: what a launcher runs for a run. A run names one (`task_definition`,
 * possibly from its config version), or gets its strategy's default. Unknown names are refused
 * at submission, never discovered later by the worker.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface TaskDefinition {
  name: string;
  /** argv: the executable and its arguments */
  command: string[];
  /** the version of the code it runs (git SHA, image digest, package version), when known */
  version?: string;
}

export interface TaskDefinitions {
  find(name: string): TaskDefinition | undefined;
  defaultFor(strategy: string): string | undefined;
  names(): string[];
}

export const REFERENCE_TASK = "tradai-strategy-stochrsi";

/** The reference worker's package version: the code a run of the built-in task runs. */
function referenceWorkerVersion(): string | undefined {
  try {
    const manifest = fileURLToPath(import.meta.resolve("@tradai/reference-worker/package.json"));
    return `@tradai/reference-worker@${(JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version}`;
  } catch {
    return undefined;
  }
}

function referenceWorkerCommand(): string[] {
  let bin: string;
  try {
    bin = fileURLToPath(import.meta.resolve("@tradai/reference-worker/bin"));
  } catch {
    // The run fails with this in its log rather than the server failing to start.
    bin = "(@tradai/reference-worker is not installed: run npm install)";
  }
  return [process.execPath, bin];
}

/**
 * The built-in reference worker plus `extra` (from TRADAI_TASK_DEFINITIONS: a JSON object of
 * name -> argv). Strategy defaults map a strategy to a task when the run names none.
 */
export function taskDefinitionsFactory(
  environments: readonly string[],
  extra: Record<string, string[] | { command: string[]; version: string }> = {},
  strategyDefaults: Record<string, string> = {},
): TaskDefinitions {
  const version = referenceWorkerVersion();
  const reference = { command: referenceWorkerCommand(), ...(version ? { version } : {}) };
  // Per-environment names as deployments spell them (the seed's `tradai-strategy-stochrsi-dev`).
  const aliases = Object.fromEntries(environments.map((env) => [`${REFERENCE_TASK}-${env}`, reference]));
  const given = Object.fromEntries(
    Object.entries(extra).map(([name, task]) => [name, Array.isArray(task) ? { command: task } : task]),
  );
  const tasks: Record<string, { command: string[]; version?: string }> = {
    [REFERENCE_TASK]: reference,
    ...aliases,
    ...given,
  };
  const defaults: Record<string, string> = { StochRsiStrategy: REFERENCE_TASK, ...strategyDefaults };
  return {
    find: (name) =>
      Object.hasOwn(tasks, name) ? { ...(tasks[name] as Omit<TaskDefinition, "name">), name } : undefined,
    defaultFor: (strategy) => defaults[strategy],
    names: () => Object.keys(tasks).sort(),
  };
}
