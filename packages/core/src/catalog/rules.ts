/**
 * @module Coherence rules: conditions across parameters ("take_profit > -stoploss") written in CEL,
 * the Common Expression Language, checked against the catalog and evaluated against nested config
 * values. Pure (no I/O), so the console runs the same code as the server.
 *
 * CEL as evaluated here: config values are JSON, so every number is a CEL `double`, while a
 * literal without a dot (`2`, `0`) is an `int`. Comparisons across the two are exact (`1 > 0.5`),
 * and, unlike standard CEL, so is arithmetic mixing them (`take_profit >= 2 * -stoploss`): a
 * double with an int gives a double. List literals may mix types (`leverage in [1, 2.5]`).
 */
import { type ASTNode, Environment } from "@marcbachmann/cel-js";

export interface CoherenceRule {
  /** e.g. "take_profit_beyond_stoploss" */
  name: string;
  /** CEL, e.g. "take_profit > -stoploss" or "risk.max_position <= risk.max_exposure" */
  expression: string;
  /** shown when violated */
  message: string;
}

export interface RuleViolation {
  rule: string;
  message: string;
  /** why the rule could not say true: an evaluation error, or a result that is not a boolean */
  detail?: string;
}

export const RULE_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names the environment defines itself (`cel.bind`): never parameters. */
const CONSTANTS: ReadonlySet<string> = new Set(["cel"]);
/** Receiver macros whose first argument (and, for the quantifiers, optionally the second) names a variable. */
const COMPREHENSIONS: ReadonlySet<string> = new Set(["all", "exists", "exists_one", "map", "filter"]);
const TWO_VARIABLE_FORMS: ReadonlySet<string> = new Set(["all", "exists", "exists_one"]);

const MIXED_ARITHMETIC: Record<"+" | "-" | "*" | "/", (a: number, b: number) => number> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => a / b,
};

function createEnvironment(): Environment {
  const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
  for (const [op, apply] of Object.entries(MIXED_ARITHMETIC)) {
    env.registerOperator(`double ${op} int: double`, (a: number, b: bigint) => apply(a, Number(b)));
    env.registerOperator(`int ${op} double: double`, (a: bigint, b: number) => apply(Number(a), b));
  }
  return env;
}

const environment = createEnvironment();

/** What an expression reads: `value` parameters must be present to evaluate it; `presence` ones are only tested by has(). */
type References = Map<string, "value" | "presence">;

/** The dotted parameter path a selection chain names (`risk.stoploss`, `risk["stoploss"]`), if it is one. */
function selectionPath(node: ASTNode, bound: ReadonlySet<string>): string[] | undefined {
  switch (node.op) {
    case "id":
      return bound.has(node.args) || CONSTANTS.has(node.args) ? undefined : [node.args];
    case ".":
    case ".?": {
      const base = selectionPath(node.args[0], bound);
      return base && [...base, node.args[1]];
    }
    case "[]":
    case "[?]": {
      const [target, index] = node.args;
      if (index.op !== "value" || typeof index.args !== "string" || !IDENTIFIER.test(index.args)) return undefined;
      const base = selectionPath(target, bound);
      return base && [...base, index.args];
    }
    default:
      return undefined;
  }
}

function collect(node: ASTNode, bound: ReadonlySet<string>, refs: References): void {
  const path = selectionPath(node, bound);
  if (path) {
    refs.set(path.join("."), "value");
    return;
  }
  const visit = (child: ASTNode, scope: ReadonlySet<string> = bound) => collect(child, scope, refs);
  switch (node.op) {
    case "value":
    case "id":
      return;
    case ".":
    case ".?":
      visit(node.args[0]);
      return;
    case "!_":
    case "-_":
      visit(node.args);
      return;
    case "call": {
      const [name, args] = node.args;
      const tested = name === "has" && args.length === 1 && args[0] ? selectionPath(args[0], bound) : undefined;
      if (tested) {
        const key = tested.join(".");
        if (!refs.has(key)) refs.set(key, "presence");
      } else for (const arg of args) visit(arg);
      return;
    }
    case "rcall": {
      const [name, receiver, args] = node.args;
      const isBind = name === "bind" && receiver.op === "id" && receiver.args === "cel";
      if (!isBind) visit(receiver);
      const variables = isBind || COMPREHENSIONS.has(name) ? boundVariables(name, args) : [];
      if (variables.length === 0) {
        for (const arg of args) visit(arg);
        return;
      }
      const inner = new Set([...bound, ...variables]);
      args.forEach((arg, i) => {
        if (i < variables.length) return; // the variable names themselves
        visit(arg, isBind && i === 1 ? bound : inner); // cel.bind(x, init, body): init sees the outer scope
      });
      return;
    }
    case "map":
      for (const [key, value] of node.args) {
        visit(key);
        visit(value);
      }
      return;
    default:
      for (const child of node.args) visit(child);
  }
}

function boundVariables(name: string, args: readonly ASTNode[]): string[] {
  const names: string[] = [];
  const first = args[0];
  if (first?.op === "id") names.push(first.args);
  const second = args[1];
  if (names.length === 1 && TWO_VARIABLE_FORMS.has(name) && args.length === 3 && second?.op === "id")
    names.push(second.args);
  return names;
}

function references(ast: ASTNode): References {
  const refs: References = new Map();
  collect(ast, new Set(), refs);
  return refs;
}

/** A CEL error as one line: its summary, where it points, and types without their `dyn<...>` wrapper. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { summary, range } = error as { summary?: unknown; range?: { start: number } };
  const text = typeof summary === "string" ? summary : (error.message.split("\n")[0] ?? error.message);
  const at = range ? ` (at column ${range.start + 1})` : "";
  return `${text.replace(/dyn<([^<>]*(?:<[^<>]*>)?)>/g, "$1")}${at}`;
}

/** The parameter names (dotted) an expression references, in order of first use, e.g. ["take_profit", "stoploss"].
 *  Throws if the expression does not parse (checkRule reports that as a problem). */
export function referencedParameters(expression: string): string[] {
  return [...references(environment.parse(expression).ast).keys()];
}

/** Known if listed, or inside a listed parameter (a field of a `json` parameter). */
function isKnown(reference: string, known: ReadonlySet<string>): boolean {
  const parts = reference.split(".");
  for (let n = parts.length; n > 0; n--) if (known.has(parts.slice(0, n).join("."))) return true;
  return false;
}

/** Problems that make a rule unusable: a malformed name or empty message, an empty expression, a parse error,
 *  references to parameters not in `knownParameters` (dotted names refer to nested values), no reference at all,
 *  an expression that cannot be boolean-valued. [] when fine. */
export function checkRule(rule: CoherenceRule, knownParameters: readonly string[]): string[] {
  const problems: string[] = [];
  if (!RULE_NAME_PATTERN.test(rule.name))
    problems.push(`rule name "${rule.name}" must be lower-case letters, digits and '_', starting with a letter`);
  if (rule.message.trim() === "") problems.push("message must say what is wrong when the rule is violated");
  if (rule.expression.trim() === "") return [...problems, "expression is empty"];
  let parsed: ReturnType<Environment["parse"]>;
  try {
    parsed = environment.parse(rule.expression);
  } catch (error) {
    return [...problems, `expression does not parse: ${describeError(error)}`];
  }
  const refs = references(parsed.ast);
  const known = new Set(knownParameters);
  for (const name of refs.keys()) if (!isKnown(name, known)) problems.push(`unknown parameter "${name}"`);
  if (refs.size === 0) problems.push("expression references no parameter, so its result never changes");
  const typed = parsed.check();
  if (!typed.valid) problems.push(`expression is not valid: ${describeError(typed.error)}`);
  else if (typed.type !== "bool" && typed.type !== "dyn")
    problems.push(`expression must be true or false, but it gives a value of type ${typed.type}`);
  return problems;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The value at a dotted path of nested config values (own properties only), or undefined. */
function valueAt(values: Record<string, unknown>, path: string): unknown {
  let node: unknown = values;
  for (const part of path.split(".")) {
    if (!isRecord(node) || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return node;
}

/** The variables for CEL: the values without a prototype to read through, and with an empty object for each
 *  missing group that has() looks into, so `has(risk.stoploss)` is false rather than an error when `risk` is unset. */
function evaluationContext(values: Record<string, unknown>, presence: readonly string[]): Record<string, unknown> {
  const root: Record<string, unknown> = Object.assign(Object.create(null), values);
  for (const path of presence) {
    let node = root;
    for (const part of path.split(".").slice(0, -1)) {
      const child = Object.hasOwn(node, part) ? node[part] : undefined;
      if (child !== undefined && !isRecord(child)) break; // has() on a non-object: CEL's own answer
      const copy = { ...child };
      node[part] = copy;
      node = copy;
    }
  }
  return root;
}

function describeValue(value: unknown): string {
  if (typeof value === "bigint") return `the int ${value}`;
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (value === null) return "null";
  if (typeof value === "number") return `the number ${value}`;
  return `a ${Array.isArray(value) ? "list" : typeof value}`;
}

/** Evaluates every rule against nested config values. A rule whose referenced parameters are not all present is
 *  not evaluated (required-ness is checked elsewhere; parameters only tested with has() need not be present).
 *  A rule that evaluates to false is a violation; one that errors (a type mismatch, a rule that does not parse)
 *  or gives something other than a boolean is a violation too, with `detail` saying why. */
export function evaluateRules(rules: readonly CoherenceRule[], values: Record<string, unknown>): RuleViolation[] {
  const violations: RuleViolation[] = [];
  for (const rule of rules) {
    const violation = (detail?: string) =>
      violations.push({ rule: rule.name, message: rule.message, ...(detail === undefined ? {} : { detail }) });
    let parsed: ReturnType<Environment["parse"]>;
    try {
      parsed = environment.parse(rule.expression);
    } catch (error) {
      violation(`the rule does not parse: ${describeError(error)}`);
      continue;
    }
    const refs = [...references(parsed.ast)];
    if (refs.some(([name, use]) => use === "value" && valueAt(values, name) === undefined)) continue;
    const presence = refs.filter(([, use]) => use === "presence").map(([name]) => name);
    let result: unknown;
    try {
      result = parsed(evaluationContext(values, presence));
    } catch (error) {
      violation(describeError(error));
      continue;
    }
    if (result === false) violation();
    else if (result !== true) violation(`the rule gave ${describeValue(result)} instead of true or false`);
  }
  return violations;
}
