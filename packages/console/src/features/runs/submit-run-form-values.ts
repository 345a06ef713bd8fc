/**
 * @module The submit form's values and the request body they make. The body is validated by
 * core's `submitBacktestBody`, the very schema the server uses, and each issue is put on the
 * form field it names (`config.symbols.0` -> `symbols`).
 */
import { type SubmitBacktestBody, submitBacktestBody } from "@tradai/core";
import type { FieldErrors, Resolver } from "react-hook-form";

export interface SubmitRunValues {
  strategy: string;
  config_version_id: string;
  start_date: string;
  end_date: string;
  symbols: string;
  timeframe: string;
  stake_amount: string;
  exchange: string;
  task_definition: string;
  experiment_name: string;
}

export const SUBMIT_RUN_FIELDS: readonly (keyof SubmitRunValues)[] = [
  "strategy",
  "config_version_id",
  "start_date",
  "end_date",
  "symbols",
  "timeframe",
  "stake_amount",
  "exchange",
  "task_definition",
  "experiment_name",
];

const given = (s: string) => (s.trim() === "" ? undefined : s.trim());

/** The request body: empty fields are left out (the config version may supply them). */
export function toSubmitBody(v: SubmitRunValues): Record<string, unknown> {
  const symbols = v.symbols
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const config: Record<string, unknown> = {
    strategy: v.strategy.trim(),
    config_version_id: given(v.config_version_id),
    symbols: symbols.length > 0 ? symbols : undefined,
    timeframe: given(v.timeframe),
    start_date: given(v.start_date),
    end_date: given(v.end_date),
    stake_amount: given(v.stake_amount) === undefined ? undefined : Number(v.stake_amount),
    exchange: given(v.exchange),
    task_definition: given(v.task_definition),
  };
  for (const key of Object.keys(config)) if (config[key] === undefined) delete config[key];
  const body: Record<string, unknown> = { config };
  if (given(v.experiment_name)) body.experiment_name = given(v.experiment_name);
  return body;
}

/** The form field a request path (client issue or server field error) belongs to, if any. */
export function formFieldFor(path: readonly PropertyKey[]): keyof SubmitRunValues | undefined {
  const [first, second] = path.map(String);
  const name = first === "config" ? second : first;
  return SUBMIT_RUN_FIELDS.find((f) => f === name);
}

export const submitRunResolver: Resolver<SubmitRunValues, unknown, SubmitBacktestBody> = async (values) => {
  const parsed = submitBacktestBody.safeParse(toSubmitBody(values));
  if (parsed.success) return { values: parsed.data, errors: {} };
  const errors: FieldErrors<SubmitRunValues> = {};
  for (const issue of parsed.error.issues) {
    const field = formFieldFor(issue.path) ?? "root";
    if (!errors[field as keyof SubmitRunValues])
      (errors as Record<string, unknown>)[field] = { type: issue.code, message: issue.message };
  }
  return { values: {}, errors };
};
