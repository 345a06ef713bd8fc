/**
 * @module How a server's problem+json looks on stderr, in the words of the command that got it:
 * where an API field is one the command sets from an option (`freeze_override_reason` from
 * `--freeze-override`, `config_data` from `--data`/`--file`), the error names the option.
 */
import type { Problem } from "@tradai/core";
import type { Command, Option } from "commander";

/**
 * API fields whose CLI option is not simply the field's name in kebab case (or a prefix of it at
 * a `_`, as `--freeze-override` is of `freeze_override_reason`): field -> the options' names.
 */
const FIELD_ALIASES: Readonly<Record<string, readonly string[]>> = {
  expected_active: ["expect"],
  config_data: ["data", "file"],
  values: ["data", "file"],
  environment: ["env"],
  time_zone: ["tz"],
  starts_at: ["from"],
  ends_at: ["until"],
};

const fieldName = (option: Option) => (option.long ?? "").replace(/^--/, "").replaceAll("-", "_");

/** The option(s) of `command` that set the API field called `name` (one path segment). */
function optionForName(name: string, command: Command): string | undefined {
  const options = command.options.filter((o) => o.long && !o.negate);
  // Of several (--data, --file), the ones given on the command line, if any were.
  const given = (matching: Option[]) => {
    const fromCli = matching.filter((o) => command.getOptionValueSource(o.attributeName()) === "cli");
    return (fromCli.length > 0 ? fromCli : matching).map((o) => o.long as string);
  };
  const named = (names: readonly string[]) =>
    given(names.flatMap((wanted) => options.filter((o) => fieldName(o) === wanted)));
  const exact = named([name]);
  if (exact.length > 0) return exact.join("/");
  const aliased = named(FIELD_ALIASES[name] ?? []);
  if (aliased.length > 0) return aliased.join("/");
  // freeze_override_reason <- --freeze-override: the longest option that is a prefix at a `_`.
  const prefix = options
    .filter((o) => name.startsWith(`${fieldName(o)}_`))
    .sort((a, b) => fieldName(b).length - fieldName(a).length)[0];
  return prefix?.long;
}

/**
 * The option(s) of `command` that set API field `field`, e.g. "--freeze-override", "--data/--file";
 * undefined when the command has none. A dotted path counts by its first segment, else its second
 * (`config.start_date` of a backtest request is `--start`).
 */
export function optionForField(field: string, command: Command): string | undefined {
  const [first, second] = field.split(/[.[\]]/).filter(Boolean);
  if (first === undefined) return undefined;
  return optionForName(first, command) ?? (second === undefined ? undefined : optionForName(second, command));
}

/**
 * `detail` with each API field name the command has an option for replaced by that option:
 * snake_case names (`freeze_override_reason`) wherever they stand, other names the problem's
 * errors give (`limit`) only where a sentence starts with them (the server's detail puts the
 * field first), so prose such as "unknown environment" stays as it is. Dotted paths stay.
 */
export function detailInOptions(detail: string, fields: readonly string[], command: Command): string {
  const snake = new Set(detail.match(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g) ?? []);
  const names = new Set([...snake, ...fields.filter((f) => /^[a-z][a-z0-9_]*$/.test(f))]);
  let text = detail;
  for (const name of [...names].sort((a, b) => b.length - a.length)) {
    const option = optionForField(name, command);
    if (!option) continue;
    const where = name.includes("_")
      ? new RegExp(`(^|[^\\w.-])${name}(?![\\w.])`, "g")
      : new RegExp(`(^|[.;]\\s+)${name}(?=[\\s:])`, "g");
    text = text.replace(where, (_match, before: string) => `${before}${option}`);
  }
  return text;
}

/** The lines of a problem: title, status and detail, then one line per field error naming its option. */
export function problemLines(problem: Problem, command: Command | undefined): string[] {
  const errors = problem.errors ?? [];
  const detail = command
    ? detailInOptions(
        problem.detail,
        errors.map((e) => e.field),
        command,
      )
    : problem.detail;
  const lines = [`Error: ${problem.title} (HTTP ${problem.status}): ${detail}`];
  for (const e of errors) {
    const option = command ? optionForField(e.field, command) : undefined;
    lines.push(`  - ${option ? `${option}: ` : ""}${e.field} (${e.location}): ${e.message}`);
  }
  if (problem.request_id) lines.push(`  request id: ${problem.request_id}`);
  return lines;
}
