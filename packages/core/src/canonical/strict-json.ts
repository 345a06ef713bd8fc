/**
 * @module Strict JSON parsing: input that has no single canonical meaning is refused, not guessed.
 *
 * `JSON.parse` silently keeps the last of duplicate keys, rounds numbers that do not fit an IEEE
 * double and lets `__proto__` through. Config content is hashed and trusted with real money, so
 * this parser reports each of those as an issue naming the offending path instead.
 */
import { parse, type ValueNode } from "@humanwhocodes/momoa";
import { numberRoundTrips } from "./number-round-trip.js";

export const MAX_JSON_DEPTH = 32;
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `s` is not a Unicode string (a lone UTF-16 surrogate, which has no UTF-8 form), or null. */
export function unicodeProblem(s: string): string | null {
  const m = LONE_SURROGATE.exec(s);
  if (!m) return null;
  const code = (m[0] as string).charCodeAt(0).toString(16);
  return `contains a lone UTF-16 surrogate (\\u${code}), which is not Unicode text`;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One reason the input was refused; `path` lists object keys and array indexes from the root. */
export interface JsonIssue {
  path: (string | number)[];
  message: string;
}

/** `syntax`: not JSON at all. `meaning`: valid JSON without one canonical meaning. */
export class StrictJsonError extends Error {
  constructor(
    readonly kind: "syntax" | "meaning",
    readonly issues: JsonIssue[],
  ) {
    super(issues.map((i) => `${formatPath(i.path) || "(root)"}: ${i.message}`).join("; "));
    this.name = "StrictJsonError";
  }
}

/** Renders `["a", 0, "b"]` as `a[0].b`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === "number") return `${acc}[${part}]`;
    return acc === "" ? part : `${acc}.${part}`;
  }, "");
}

/** Nesting depth of the text, counted without building anything, so a 1 MiB `[[[[...` cannot exhaust the parser's stack. */
function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) max = Math.max(max, ++depth);
    else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return max;
}

/**
 * Parses JSON text, refusing duplicate keys, numbers an IEEE double cannot hold exactly as
 * written, the keys `__proto__`/`constructor`/`prototype`, nesting deeper than 32, and lone UTF-16
 * surrogates (text with no UTF-8 form, which PostgreSQL cannot store).
 * @throws StrictJsonError
 * @example parseStrictJson('{"a": 1.0}') // => { a: 1 }
 */
export function parseStrictJson(text: string, options: { maxDepth?: number } = {}): JsonValue {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  // The walk below names the exact path of too-deep nesting; this cheap scan only keeps
  // pathological input (a 1 MiB `[[[[...`) away from the recursive parser.
  if (maxNesting(text) > maxDepth + 64) {
    throw new StrictJsonError("meaning", [{ path: [], message: `nesting deeper than ${maxDepth} levels` }]);
  }
  return parseCleanJson(text, maxDepth) ?? parseStrictJsonByTree(text, maxDepth);
}

/**
 * The fast path: `JSON.parse`, then a check that the text can have no issue at all (as many keys
 * in the text as in the value, every number exact, no forbidden key, no lone surrogate, not too
 * deep). Undefined when it cannot say so: the tree parser then names the issues (or finds none).
 * Workers' reports arrive thousands a second; building a syntax tree for each costs the fan-out.
 */
function parseCleanJson(text: string, maxDepth: number): JsonValue | undefined {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
  const scanned = scanKeysAndNumbers(text);
  if (scanned === undefined) return undefined;
  const walked = { keys: 0 };
  if (!isClean(value, 0, maxDepth, walked)) return undefined;
  return walked.keys === scanned ? value : undefined;
}

/** Exact for any decimal of at most 15 significant digits without an exponent (DBL_DIG). */
const SHORT_DECIMAL = /^-?\d+(\.\d+)?$/;
function numberIsExact(raw: string): boolean {
  // (17 characters at most: no smaller than 1e-15, so never near the subnormal range)
  if (raw.length <= 17 && SHORT_DECIMAL.test(raw) && raw.replace(/[-.]/g, "").replace(/^0+/, "").length <= 15) {
    return true;
  }
  return numberRoundTrips(raw);
}

/** The object keys in the text (a string followed by `:`), or undefined when a number is not exact. */
function scanKeysAndNumbers(text: string): number | undefined {
  let keys = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
      let j = i + 1;
      while (j < text.length && isJsonSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === 58 /* : */) keys++;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < text.length && isNumberChar(text.charCodeAt(j))) j++;
      if (!numberIsExact(text.slice(i, j))) return undefined;
      i = j - 1;
    }
  }
  return keys;
}

const isJsonSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
/** Digits, `.`, `e`, `E`, `+`, `-`. */
const isNumberChar = (c: number) => (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;

function isClean(value: JsonValue, depth: number, maxDepth: number, walked: { keys: number }): boolean {
  if (typeof value === "string") return unicodeProblem(value) === null;
  if (value === null || typeof value !== "object") return true;
  if (depth >= maxDepth) return false;
  if (Array.isArray(value)) return value.every((v) => isClean(v, depth + 1, maxDepth, walked));
  for (const key of Object.keys(value)) {
    walked.keys++;
    if (FORBIDDEN_KEYS.has(key) || unicodeProblem(key) !== null) return false;
    if (!isClean(value[key] as JsonValue, depth + 1, maxDepth, walked)) return false;
  }
  return true;
}

const TOKENS: Record<string, string> = {
  LBrace: "'{'",
  RBrace: "'}'",
  LBracket: "'['",
  RBracket: "']'",
  Colon: "':'",
  Comma: "','",
  String: "a string",
  Number: "a number",
  Boolean: "true or false",
  Null: "null",
};

/** The parser's complaint in words, with where: "'}' is not expected there (line 1, column 8)". */
function syntaxInWords(error: Error & { line?: number; column?: number; offset?: number }, text: string): string {
  const message = error.message.replace(/\s*\(\d+:\d+\)\s*$/, "");
  const at = (offset: number) => {
    const before = text.slice(0, offset).split("\n");
    return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
  };
  if (/end of input/i.test(message)) return `it ends before the JSON value does (${at(text.length)})`;
  const where = typeof error.offset === "number" ? ` (${at(error.offset)})` : "";
  const token = /^Unexpected token (\w+) found\.?$/.exec(message);
  if (token) return `${TOKENS[token[1] as string] ?? token[1]} is not expected there${where}`;
  const char = /^Unexpected (character|identifier) (.+) found\.?$/.exec(message);
  if (char) return `${char[1]} ${char[2]} is not expected there${where}`;
  return `${message}${where}`;
}

/**
 * The reference parser: builds the syntax tree and names every issue with its path. Used when the
 * fast path declines, and by the tests that hold the fast path to the same answers.
 */
export function parseStrictJsonByTree(text: string, maxDepth: number = MAX_JSON_DEPTH): JsonValue {
  let root: ValueNode;
  try {
    root = parse(text, { mode: "json", ranges: true }).body;
  } catch (error) {
    throw new StrictJsonError("syntax", [{ path: [], message: syntaxInWords(error as Error, text) }]);
  }
  const issues: JsonIssue[] = [];
  const value = toValue(root, text, [], 0, maxDepth, issues);
  if (issues.length > 0) throw new StrictJsonError("meaning", issues);
  return value;
}

function toValue(
  node: ValueNode,
  text: string,
  path: (string | number)[],
  depth: number,
  maxDepth: number,
  issues: JsonIssue[],
): JsonValue {
  switch (node.type) {
    case "Null":
      return null;
    case "Boolean":
      return node.value;
    case "String": {
      const problem = unicodeProblem(node.value);
      if (problem) issues.push({ path, message: `the string ${problem}` });
      return node.value;
    }
    case "Number": {
      const raw = node.range ? text.slice(node.range[0], node.range[1]) : String(node.value);
      if (!numberRoundTrips(raw)) {
        issues.push({ path, message: `number ${raw} cannot be held exactly by an IEEE 754 double` });
      }
      return node.value;
    }
    case "Array":
      if (depth >= maxDepth) {
        issues.push({ path, message: `nesting deeper than ${maxDepth} levels` });
        return [];
      }
      return node.elements.map((element, index) =>
        toValue(element.value, text, [...path, index], depth + 1, maxDepth, issues),
      );
    case "Object": {
      if (depth >= maxDepth) {
        issues.push({ path, message: `nesting deeper than ${maxDepth} levels` });
        return {};
      }
      // A null-prototype object: no key can reach Object.prototype while it is being filled.
      const result: { [key: string]: JsonValue } = Object.create(null);
      const seen = new Set<string>();
      for (const [index, member] of node.members.entries()) {
        const key = member.name.type === "String" ? member.name.value : member.name.name;
        const problem = unicodeProblem(key);
        if (problem) {
          // The key itself cannot be named in an error: it is not text. Its position can.
          issues.push({ path: [...path, `(key ${index + 1})`], message: `the key ${problem}` });
          continue;
        }
        const keyPath = [...path, key];
        if (FORBIDDEN_KEYS.has(key)) {
          issues.push({ path: keyPath, message: `key "${key}" is not allowed` });
          continue;
        }
        if (seen.has(key)) {
          issues.push({ path: keyPath, message: `duplicate key "${key}"` });
          continue;
        }
        seen.add(key);
        result[key] = toValue(member.value, text, keyPath, depth + 1, maxDepth, issues);
      }
      return Object.setPrototypeOf(result, Object.prototype);
    }
    default:
      issues.push({ path, message: `unsupported value of type ${node.type}` });
      return null;
  }
}
