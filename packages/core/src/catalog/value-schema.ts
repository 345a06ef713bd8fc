/** @module What values a parameter accepts, as a Zod schema (one code path for server and browser). */
import { z } from "zod";
import type { CatalogParameter } from "./parameter.js";

export const DURATION_PATTERN = /^\d+(ms|s|m|h|d|w)$/;
export const SECRET_REF_PATTERN = /^[a-z][a-z0-9+.-]*:\/\/\S+$/;

/** Whether `value` lies on the grid min + k*step (or k*step without min), allowing for float error. */
function onStep(value: number, step: number, base: number): boolean {
  const k = (value - base) / step;
  return Math.abs(k - Math.round(k)) < 1e-9 * Math.max(1, Math.abs(k));
}

type Rules = Pick<CatalogParameter, "type" | "allowed" | "min" | "max" | "step">;

/** A number_map's key: a non-negative number written as text ("0", "30", "1.5"), e.g. minutes of an ROI table. */
export const NUMBER_MAP_KEY = /^(0|[1-9]\d*)(\.\d+)?$/;

function boundedNumber(p: Rules): z.ZodType<number> {
  let schema =
    p.type === "int"
      ? z.number({ error: "must be a number" }).int("must be a whole number")
      : z.number({ error: "must be a number" });
  if (p.min !== undefined) schema = schema.min(p.min, `must be at least ${p.min}`);
  if (p.max !== undefined) schema = schema.max(p.max, `must be at most ${p.max}`);
  const { step, min } = p;
  return schema.refine(
    (v) => step === undefined || onStep(v, step, min ?? 0),
    `must be a multiple of ${step}${min !== undefined ? ` from ${min}` : ""}`,
  );
}

export function valueSchema(p: Rules): z.ZodType {
  const allowed = p.allowed;
  const mustBeAllowed = (v: unknown) => allowed === undefined || allowed.includes(v as string | number);
  const allowedMessage = `must be one of ${allowed?.map((a) => JSON.stringify(a)).join(", ")}`;
  switch (p.type) {
    case "bool":
      return z.boolean({ error: "must be true or false" });
    case "int":
    case "number":
      return boundedNumber(p).refine(mustBeAllowed, allowedMessage);
    case "number_map": {
      const item = boundedNumber(p);
      // Each key's problem names the key: `minimal_roi.30: must be at least -1`.
      return z
        .record(z.string(), z.unknown(), { error: 'must be an object of numbers, e.g. {"0": 0.04, "30": 0.02}' })
        .superRefine((map, ctx) => {
          for (const [key, value] of Object.entries(map)) {
            if (!NUMBER_MAP_KEY.test(key)) {
              ctx.addIssue({
                code: "custom",
                path: [key],
                message: "keys must be non-negative numbers such as 0, 30, 1.5",
              });
              continue;
            }
            const checked = item.safeParse(value);
            if (!checked.success)
              ctx.addIssue({ code: "custom", path: [key], message: checked.error.issues[0]?.message ?? "invalid" });
          }
        });
    }
    case "string":
      return z.string({ error: "must be a string" }).refine(mustBeAllowed, allowedMessage);
    case "enum":
      return z.union([z.string(), z.number()], { error: allowedMessage }).refine(mustBeAllowed, allowedMessage);
    case "duration":
      return z
        .string({ error: "must be a duration such as 30s, 15m, 4h" })
        .regex(DURATION_PATTERN, "must be a duration such as 30s, 15m, 4h");
    case "list":
      return z
        .array(z.union([z.string(), z.number(), z.boolean()]), {
          error: "must be a list of strings, numbers or booleans",
        })
        .refine((items) => items.every(mustBeAllowed), `every item ${allowedMessage}`);
    case "json":
      return z.unknown();
    case "secret_ref":
      return z
        .string({ error: "must be a secret reference" })
        .regex(
          SECRET_REF_PATTERN,
          "must be a secret reference such as vault://trading/binance/api-key, never the secret itself",
        );
  }
}
