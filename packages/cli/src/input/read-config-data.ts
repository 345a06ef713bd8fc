/**
 * @module Config data from `--data '<JSON>'` or `--file config.json|.yaml`, as JSON text. JSON is
 * passed on exactly as written (the server's strict checks then see duplicate keys and inexact
 * numbers); YAML is checked for the same problems here, since converting it would hide them.
 */
import { readFileSync } from "node:fs";
import { FORBIDDEN_KEYS, numberRoundTrips, parseStrictJson, StrictJsonError } from "@tradai/core";
import { isMap, isScalar, type Node, parseDocument, visit } from "yaml";
import { UsageError } from "../usage-error.js";

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function checkJsonSyntax(text: string, origin: string): string {
  try {
    parseStrictJson(text);
  } catch (error) {
    if (error instanceof StrictJsonError && error.kind === "syntax") {
      throw new UsageError(`${origin} is not valid JSON: ${error.issues[0]?.message ?? ""}`);
    }
    // Valid JSON without one meaning: the server names the offending fields.
  }
  return text;
}

function yamlToJson(text: string, origin: string): string {
  const doc = parseDocument(text, { uniqueKeys: true, keepSourceTokens: true, prettyErrors: false });
  const problems = doc.errors.map((e) => e.message);
  visit(doc, {
    Pair(_, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key !== undefined && FORBIDDEN_KEYS.has(key)) problems.push(`key "${key}" is not allowed`);
    },
    Scalar(_, node) {
      if (typeof node.value !== "number") return;
      const raw = (node as Node & { srcToken?: { source?: string } }).srcToken?.source?.trim() ?? "";
      if (!Number.isFinite(node.value)) problems.push(`number ${raw} is not finite`);
      else if (JSON_NUMBER.test(raw) && !numberRoundTrips(raw)) {
        problems.push(`number ${raw} cannot be held exactly by an IEEE 754 double`);
      }
    },
  });
  if (problems.length > 0) throw new UsageError(`${origin} cannot be used: ${problems.join("; ")}`);
  if (!isMap(doc.contents)) throw new UsageError(`${origin} must hold a mapping (an object) at the top level`);
  return JSON.stringify(doc.toJS());
}

export function readConfigData(opts: { data?: string; file?: string }): string {
  if (opts.data !== undefined && opts.file !== undefined)
    throw new UsageError("give either --data or --file, not both");
  if (opts.data !== undefined) return checkJsonSyntax(opts.data, "--data");
  if (opts.file === undefined) throw new UsageError("give the config data with --data '<JSON>' or --file <path>");
  let text: string;
  try {
    text = readFileSync(opts.file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read --file ${opts.file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  return /\.ya?ml$/i.test(opts.file) ? yamlToJson(text, opts.file) : checkJsonSyntax(text, opts.file);
}
