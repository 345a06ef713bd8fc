/**
 * @module Worker labels and label selectors. A worker declares labels when it subscribes
 * (`exchange=binance`, `canary=true`); a selector names the workers whose labels hold every pair
 * it lists: the workers view filters by one, and a rollout's step may assign by one.
 */
import { z } from "zod";

const NAME = "[a-z][a-z0-9_.-]{0,62}";
/** In a selector a value cannot hold ',' or '=' (they separate its pairs). */
const SELECTOR_VALUE = "[^,=]{0,200}";

export const labelName = z.string().regex(new RegExp(`^${NAME}$`), "a label name: lower case, digits, '_', '.', '-'");

export const workerLabels = z
  .record(labelName, z.string().max(200))
  .refine((labels) => Object.keys(labels).length <= 20, "at most 20 labels");
export type WorkerLabels = z.infer<typeof workerLabels>;

export const labelSelector = z
  .string()
  .regex(
    new RegExp(`^${NAME}=${SELECTOR_VALUE}(,${NAME}=${SELECTOR_VALUE})*$`),
    "name=value pairs separated by ',' (e.g. canary=true,exchange=binance)",
  )
  .max(2000);

/** The pairs of a selector that labelSelector accepted ("" selects every worker). */
export function parseLabelSelector(selector: string): WorkerLabels {
  const pairs: WorkerLabels = {};
  if (selector === "") return pairs;
  for (const pair of selector.split(",")) {
    const eq = pair.indexOf("=");
    pairs[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return pairs;
}

/** Whether the labels hold every pair of the selector (an empty selector selects every worker). */
export function selects(selector: WorkerLabels, labels: WorkerLabels): boolean {
  return Object.entries(selector).every(([name, value]) => labels[name] === value);
}

/**
 * Who reads a config, as a worker names itself on the stream and on resolve: its id and the labels
 * it declared (selector syntax). A staged rollout may assign it another version than the active one.
 */
export const readerQuery = {
  worker_id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "1-128 letters, digits, '.', '_', ':' or '-'")
    .optional()
    .describe("the worker that reads: a staged rollout may assign it the version it rolls out"),
  labels: z
    .union([z.literal(""), labelSelector])
    .optional()
    .describe(
      "the labels the worker declared, name=value pairs separated by ',' (a rollout's selector steps match them)",
    ),
};

/** The reader a query names (undefined: none, e.g. a person or an older library). */
export function readerOf(query: { worker_id?: string | undefined; labels?: string | undefined }) {
  if (query.worker_id === undefined) return undefined;
  return { worker_id: query.worker_id, labels: parseLabelSelector(query.labels ?? "") };
}
