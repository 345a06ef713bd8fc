/**
 * @module Validation messages in words, for the whole platform. One Zod error map (installed when
 * core is imported, so the server, the console and the CLI all use it) says what rule a value broke
 * and what it got, as a predicate without the field's name: "must be a whole number from 1 to 500,
 * got text". `fieldSentence` puts the field in front: "limit must be a whole number from 1 to 500,
 * got text". Problem+json `errors[].message` holds the predicate (clients show it next to their own
 * name of the field: a CLI option, a form label); the problem's `detail` joins the sentences.
 */
import { z } from "zod";

// Structural views of Zod's internals that the words depend on (checks, element types).
interface SchemaLike {
  _zod?: {
    def?: {
      type?: string;
      coerce?: boolean;
      format?: string;
      checks?: { _zod?: { def?: Record<string, unknown> } }[];
      element?: SchemaLike;
      innerType?: SchemaLike;
    };
  };
}

/** Raw issue fields the map reads (Zod's issue union, loosened: every kind in one shape). */
interface RawIssue {
  code?: string;
  input?: unknown;
  inst?: unknown;
  schema?: unknown;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  exact?: boolean;
  format?: string;
  pattern?: string;
  prefix?: string;
  suffix?: string;
  includes?: string;
  divisor?: number;
  keys?: string[];
  values?: unknown[];
  errors?: { code?: string; path?: PropertyKey[]; message: string; expected?: string; values?: unknown[] }[][];
  note?: string;
  discriminator?: string;
  options?: unknown[];
  issues?: { message: string }[];
}

/** Words that open a predicate: a message starting with one reads on after the field's name. */
const PREDICATE_START =
  /^(must|may|is|are|was|were|has|have|had|does|do|did|cannot|can|could|should|needs|says|matches|names|already|appears|holds|lies|looks)\b/;

/** A value shown in a message: JSON for strings and scalars, cut short. */
export function shownValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint" || value === null)
    return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** What a value is, in words: "text", "a number", "a list", "nothing", or the value itself when short. */
export function kindOfValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return "text";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "something that is not a number";
    return Number.isFinite(value) ? "a number" : "an infinite number";
  }
  if (typeof value === "boolean") return String(value);
  if (typeof value === "bigint") return "a big integer";
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return "a date";
  if (typeof value === "function") return "a function";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function checksOf(schema: unknown): Record<string, unknown>[] {
  const def = (schema as SchemaLike | undefined)?._zod?.def;
  return (def?.checks ?? []).map((c) => c._zod?.def ?? {});
}

/** Bounds beyond this are Zod's own limits of a safe integer, not rules worth saying. */
const MEANINGFUL = 2 ** 52;

/** What a number schema accepts: "a whole number from 1 to 500", "a number greater than 0". */
function numberNoun(schema: unknown, whole: boolean): string {
  const def = (schema as SchemaLike | undefined)?._zod?.def;
  let isWhole = whole || /int/.test(def?.format ?? "");
  let low: { value: number; inclusive: boolean } | undefined;
  let high: { value: number; inclusive: boolean } | undefined;
  for (const check of checksOf(schema)) {
    if (check.check === "number_format" && /int/.test(String(check.format))) isWhole = true;
    const value = check.value;
    if (typeof value !== "number" || Math.abs(value) >= MEANINGFUL) continue;
    const inclusive = check.inclusive === true;
    if (check.check === "greater_than" && (!low || value >= low.value)) low = { value, inclusive };
    if (check.check === "less_than" && (!high || value <= high.value)) high = { value, inclusive };
  }
  const noun = isWhole ? "a whole number" : "a number";
  if (low && high && low.inclusive && high.inclusive) return `${noun} from ${low.value} to ${high.value}`;
  const lowText = low && (low.inclusive ? `at least ${low.value}` : `greater than ${low.value}`);
  const highText = high && (high.inclusive ? `at most ${high.value}` : `less than ${high.value}`);
  if (lowText && highText) return `${noun} ${low?.inclusive ? "of " : ""}${lowText} and ${highText}`;
  if (lowText) return `${noun} ${low?.inclusive ? "of " : ""}${lowText}`;
  if (highText) return `${noun} ${high?.inclusive ? "of " : ""}${highText}`;
  return noun;
}

/** What a schema of the given type accepts, as a noun: "text", "a list of strings", "an object". */
function typeNoun(expected: string | undefined, schema: unknown): string {
  const def = (schema as SchemaLike | undefined)?._zod?.def;
  switch (expected) {
    case "string":
      return "text";
    case "number":
      return numberNoun(schema, false);
    case "int":
      return numberNoun(schema, true);
    case "bigint":
      return "a whole number";
    case "boolean":
      return "true or false";
    case "null":
      return "null";
    case "undefined":
    case "void":
      return "left out";
    case "date":
      return "a date";
    case "array":
    case "tuple": {
      const element = def?.element?._zod?.def?.type;
      const plural: Record<string, string> = {
        string: "strings",
        number: "numbers",
        int: "whole numbers",
        boolean: "true/false values",
        object: "objects",
        array: "lists",
      };
      return element && plural[element] ? `a list of ${plural[element]}` : "a list";
    }
    case "object":
    case "record":
      return "an object";
    case "map":
      return "a map";
    case "set":
      return "a set";
    case "file":
      return "a file";
    case "nan":
      return "NaN";
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
    case undefined:
      return "a value";
    default:
      return `an instance of ${expected}`;
  }
}

function invalidType(iss: RawIssue): string {
  // The schema owning the check (z.number().int()): its other checks say the range too.
  const schema = iss.schema ?? iss.inst;
  if (iss.expected === "never") return "must be left out";
  if (iss.expected === "nonoptional") return "is required";
  const noun = typeNoun(iss.expected, schema);
  if (iss.input === undefined) return `is required and must be ${noun}`;
  const coerced = (schema as SchemaLike | undefined)?._zod?.def?.coerce === true;
  let got = kindOfValue(iss.input);
  if (typeof iss.input === "number" && Number.isNaN(iss.input) && coerced) got = "text that is not a number";
  else if (typeof iss.input === "number" && Number.isFinite(iss.input)) got = String(iss.input);
  return `must be ${noun}, got ${got}`;
}

/** "is required and must be X" when nothing was given, else "must be X, got Y". */
function required(input: unknown, rule: string, got: string): string {
  return input === undefined ? `is required and ${rule}` : `${rule}, got ${got}`;
}

const units = (n: number | bigint, one: string, many: string) => `${n} ${Number(n) === 1 ? one : many}`;

function sizeOf(input: unknown): number | undefined {
  if (typeof input === "string" || Array.isArray(input)) return input.length;
  if (input instanceof Set || input instanceof Map) return input.size;
  return undefined;
}

function tooSmallOrBig(iss: RawIssue, small: boolean): string {
  const bound = (small ? iss.minimum : iss.maximum) ?? 0;
  const exact = iss.exact === true;
  const size = sizeOf(iss.input);
  const atLeast = small
    ? iss.inclusive === false
      ? "more than"
      : "at least"
    : iss.inclusive === false
      ? "fewer than"
      : "at most";
  switch (iss.origin) {
    case "number":
    case "int":
    case "bigint": {
      let noun = iss.origin === "bigint" ? "a whole number" : numberNoun(iss.schema, iss.origin === "int");
      // A schema whose checks say nothing readable still gets this issue's bound said.
      if (noun === "a number" || noun === "a whole number") noun = `${noun} ${boundWords(iss, small)}`;
      return `must be ${noun}, got ${shownValue(iss.input)}`;
    }
    case "string": {
      if (small && Number(bound) === 1 && size === 0) return "must not be empty";
      const count = units(bound, "character", "characters");
      const rule = exact ? `exactly ${count} long` : `${atLeast} ${count} long`;
      return `must be ${rule}${size === undefined ? "" : `, got ${units(size, "character", "characters")}`}`;
    }
    case "array":
    case "set": {
      if (small && Number(bound) === 1 && size === 0) return "must list at least one item";
      const count = units(bound, "item", "items");
      const rule = exact ? `exactly ${count}` : `${atLeast} ${count}`;
      return `must have ${rule}${size === undefined ? "" : `, got ${size}`}`;
    }
    case "file":
      return `must be ${exact ? "exactly" : atLeast} ${units(bound, "byte", "bytes")}`;
    case "date": {
      const when = new Date(Number(bound)).toISOString();
      return `must be ${small ? "on or after" : "on or before"} ${when}`;
    }
    default:
      return `must be ${small ? "at least" : "at most"} ${bound}`;
  }
}

function boundWords(iss: RawIssue, small: boolean): string {
  const bound = small ? iss.minimum : iss.maximum;
  if (small) return iss.inclusive === false ? `greater than ${bound}` : `of at least ${bound}`;
  return iss.inclusive === false ? `less than ${bound}` : `of at most ${bound}`;
}

const FORMATS: Record<string, string> = {
  email: "an email address",
  url: "a URL such as https://example.com/path",
  uuid: "a UUID such as 0b9c4d6e-2f1a-4c3b-9d8e-7f6a5b4c3d2e",
  guid: "a GUID such as 0b9c4d6e-2f1a-4c3b-9d8e-7f6a5b4c3d2e",
  datetime: "an ISO 8601 time such as 2026-01-31T12:00:00Z",
  date: "a date such as 2026-01-31",
  time: "a time of day such as 13:45:00",
  duration: "an ISO 8601 duration such as PT15M",
  ipv4: "an IPv4 address such as 192.0.2.1",
  ipv6: "an IPv6 address such as 2001:db8::1",
  cidrv4: "an IPv4 range such as 192.0.2.0/24",
  cidrv6: "an IPv6 range such as 2001:db8::/32",
  base64: "base64 text",
  base64url: "base64url text",
  jwt: "a JSON Web Token",
  e164: "a phone number in E.164 form such as +14155550123",
  emoji: "an emoji",
  lowercase: "in lower case",
  uppercase: "in upper case",
  hex: "hexadecimal digits",
  nanoid: "a Nano ID",
  cuid: "a CUID",
  cuid2: "a CUID2",
  ulid: "a ULID",
  xid: "an XID",
  ksuid: "a KSUID",
  hostname: "a host name such as example.com",
  mac: "a MAC address such as 00:1a:2b:3c:4d:5e",
};

function invalidFormat(iss: RawIssue): string {
  switch (iss.format) {
    case "starts_with":
      return `must start with ${shownValue(iss.prefix)}`;
    case "ends_with":
      return `must end with ${shownValue(iss.suffix)}`;
    case "includes":
      return `must contain ${shownValue(iss.includes)}`;
    case "regex":
      return `must match the pattern ${iss.pattern ?? "given"}`;
  }
  const format = iss.format ?? "";
  const hash = /^(md5|sha1|sha256|sha384|sha512)_(hex|base64|base64url)$/.exec(format);
  if (hash) return `must be a ${hash[1]?.toUpperCase()} hash in ${hash[2]}`;
  return `must be ${FORMATS[format] ?? `a valid ${format.replaceAll("_", " ")}`}`;
}

function oneOf(values: readonly unknown[]): string {
  const shown = values.map(shownValue);
  if (shown.length === 1) return shown[0] as string;
  return `one of ${shown.join(", ")}`;
}

/** A union no branch of which accepted the input: say what each branch wanted, or the closest miss. */
function invalidUnion(iss: RawIssue): string {
  if (iss.note === "No matching discriminator" || (iss.discriminator && iss.options)) {
    const input = iss.input as Record<string, unknown> | undefined;
    const given = typeof input === "object" && input !== null ? input[iss.discriminator ?? ""] : undefined;
    return required(given, `must be ${oneOf(iss.options ?? [])}`, shownValue(given));
  }
  const branches = iss.errors ?? [];
  if (branches.length === 0) return "matches more than one of the accepted forms";
  const rootOnly = branches.every(
    (b) =>
      b.length === 1 &&
      (b[0]?.path?.length ?? 0) === 0 &&
      (b[0]?.code === "invalid_type" || b[0]?.code === "invalid_value"),
  );
  if (rootOnly) {
    const wanted = new Set<string>();
    for (const [issue] of branches) {
      if (issue?.code === "invalid_value") wanted.add(oneOf(issue.values ?? []));
      else wanted.add(typeNoun(issue?.expected, undefined));
    }
    const list = [...wanted];
    const words = list.length > 1 ? `${list.slice(0, -1).join(", ")} or ${list.at(-1)}` : (list[0] ?? "a value");
    return required(iss.input, `must be ${words}`, kindOfValue(iss.input));
  }
  // The branch that got furthest: its problems lie deeper than the input's own type.
  const closest = branches
    .filter((b) => !b.some((i) => (i.path?.length ?? 0) === 0 && i.code === "invalid_type"))
    .sort((a, b) => a.length - b.length)[0];
  const first = closest?.[0];
  if (!first) return "does not match any of the accepted forms";
  const where = (first.path ?? []).map(String).join(".");
  return where ? `is not valid: ${fieldSentence(where, first.message)}` : first.message;
}

/** Zod's error map for the platform: every issue kind as a predicate in plain words. */
export function ruleInWords(issue: unknown): string {
  const iss = issue as RawIssue;
  switch (iss.code) {
    case "invalid_type":
      return invalidType(iss);
    case "too_small":
      return tooSmallOrBig(iss, true);
    case "too_big":
      return tooSmallOrBig(iss, false);
    case "invalid_format":
      return invalidFormat(iss);
    case "not_multiple_of":
      return `must be a multiple of ${iss.divisor}, got ${shownValue(iss.input)}`;
    case "unrecognized_keys": {
      const keys = iss.keys ?? [];
      return keys.length === 1
        ? `has an unknown field ${shownValue(keys[0])}`
        : `has unknown fields ${keys.map(shownValue).join(", ")}`;
    }
    case "invalid_union":
      return invalidUnion(iss);
    case "invalid_key": {
      const inner = iss.issues?.[0]?.message ?? "is not valid";
      // The issue's path ends at the key itself.
      return `is a key that ${PREDICATE_START.test(inner) ? inner : `is not allowed (${inner})`}`;
    }
    case "invalid_element": {
      const inner = iss.issues?.[0]?.message ?? "is not valid";
      return `has an item that ${PREDICATE_START.test(inner) ? inner : `is not valid (${inner})`}`;
    }
    case "invalid_value":
      return required(iss.input, `must be ${oneOf(iss.values ?? [])}`, shownValue(iss.input));
    case "custom":
      return "is not valid";
    default:
      return "is not valid";
  }
}

/** How a sentence names a field: `(body)`, the whole request body, becomes "the request body". */
const WHOLE: Record<string, string> = {
  "(body)": "the request body",
  "(query)": "the query string",
  "(path)": "the path",
  "(header)": "the headers",
};

/**
 * One sentence naming the field and its rule: "limit must be a whole number, got text". A message
 * that already names the field is kept; one that is not a predicate follows a colon.
 */
export function fieldSentence(field: string, message: string): string {
  const subject = WHOLE[field] ?? field;
  if (!subject) return message;
  if (message.startsWith(`${subject} `) || message.startsWith(`${subject}:`)) return message;
  return PREDICATE_START.test(message) ? `${subject} ${message}` : `${subject}: ${message}`;
}

/** A problem's `detail` from its field errors: their sentences, joined. */
export function fieldErrorsDetail(errors: readonly { field: string; message: string }[]): string {
  return errors.map((e) => fieldSentence(e.field, e.message)).join("; ");
}

z.config({ customError: (issue) => ruleInWords(issue) });
