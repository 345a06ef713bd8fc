/**
 * @module The two other legacy sources of a value: the fallback file (`config/ftf_baseline.json`)
 * and a pod's environment (a `.env` file or a `KEY=value` dump, e.g. `kubectl exec POD -- env`).
 */
import { readFileSync } from "node:fs";
import { envKey, envValue, type LegacyValueSource } from "@tradai/core";
import { UsageError } from "../usage-error.js";

export function readBaseline(file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`${file}: not a readable JSON file (${(error as Error).message})`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new UsageError(`${file}: not a JSON object`);
  return doc as Record<string, unknown>;
}

/** `PREFIX_KEY=value` lines (comments, blank lines, `export ` and quotes allowed) as config keys. */
export function readPodEnv(file: string, prefix: string): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [i, raw] of readFileSync(file, "utf8").split(/\r?\n/).entries()) {
    const line = raw.trim().replace(/^export\s+/, "");
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new UsageError(`${file} line ${i + 1}: not NAME=value ("${raw.slice(0, 80)}")`);
    const key = envKey(line.slice(0, eq).trim(), prefix);
    if (key === undefined || key === "") continue; // not one of the strategy's variables
    let text = line.slice(eq + 1).trim();
    if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.at(-1) === text[0]) text = text.slice(1, -1);
    values[key] = envValue(text);
  }
  return values;
}

/** `--choose risk.stoploss=db --choose mode=env` as key -> source. */
export function choicesOf(given: readonly string[]): Record<string, LegacyValueSource> {
  const choices: Record<string, LegacyValueSource> = {};
  for (const g of given) {
    const [key, source] = g.split("=");
    if (!key || (source !== "db" && source !== "file" && source !== "env")) {
      throw new UsageError(`--choose takes KEY=db|file|env, not "${g}"`);
    }
    choices[key] = source;
  }
  return choices;
}
