/**
 * @module Loads PARAMETER_SET_PATH and proves it is the parameter set this run was launched with:
 * the file's hash, the recomputed hash of its content and PARAMETER_SET_HASH must all agree.
 */
import { readFileSync } from "node:fs";
import { contentHash, type JsonValue, type ParameterSet, parameterSetFile, parseStrictJson } from "@tradai/core";
import type { WorkerEnvironment } from "./environment.js";
import { ParameterSetError } from "./errors.js";

export interface VerifiedParameterSet {
  hash: string;
  parameterSet: ParameterSet;
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ParameterSetError(`cannot read ${path}${code === "ENOENT" ? ": no such file" : `: ${String(error)}`}`);
  }
}

function parseJson(path: string, text: string): JsonValue {
  try {
    // Strict parsing: duplicate keys or lossy numbers would make the recomputed hash meaningless.
    return parseStrictJson(text);
  } catch (error) {
    throw new ParameterSetError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

export function loadParameterSet(env: WorkerEnvironment): VerifiedParameterSet {
  const path = env.parameterSetPath;
  if (path === undefined) throw new ParameterSetError("PARAMETER_SET_PATH is not set");
  if (env.parameterSetHash === undefined) throw new ParameterSetError("PARAMETER_SET_HASH is not set");
  const raw = parseJson(path, readText(path));
  const parsed = parameterSetFile.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new ParameterSetError(`${path} is not a parameter set file: ${issues}`);
  }
  // Hash the content as written, not the schema's output (which would drop unknown keys).
  const recomputed = contentHash((raw as { parameter_set: JsonValue }).parameter_set);
  const { hash, parameter_set: parameterSet } = parsed.data;
  if (recomputed !== hash) {
    throw new ParameterSetError(`content hash ${recomputed} does not match the file's hash ${hash}`);
  }
  if (hash !== env.parameterSetHash) {
    throw new ParameterSetError(`file hash ${hash} does not match PARAMETER_SET_HASH ${env.parameterSetHash}`);
  }
  if (parameterSet.strategy !== env.strategy) {
    throw new ParameterSetError(`it is for strategy ${parameterSet.strategy}, STRATEGY is ${env.strategy}`);
  }
  if (parameterSet.config_version_id !== env.configVersionId) {
    const inFile = parameterSet.config_version_id ?? "none";
    throw new ParameterSetError(
      `its config version (${inFile}) differs from CONFIG_VERSION_ID (${env.configVersionId ?? "none"})`,
    );
  }
  return { hash, parameterSet };
}
