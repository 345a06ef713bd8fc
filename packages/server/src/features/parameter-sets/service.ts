/** @module Reading parameter sets and comparing two of them. */
import {
  canonicalJson,
  diffValues,
  type JsonValue,
  type ParameterSetDiff,
  type ParameterSetResponse,
} from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { NotFoundError } from "../../http/errors.js";
import { parameterSetStore } from "./store.js";

const CONTEXT_FIELDS = ["strategy", "config_version_id", "config_hash", "platform_version", "launcher"] as const;

export function parameterSetServiceFactory({ db }: { db: Queryable }) {
  const store = parameterSetStore(db);

  async function get(hash: string): Promise<ParameterSetResponse> {
    const row = await store.find(hash);
    if (!row) throw new NotFoundError(`no parameter set ${hash}`);
    // jsonb keeps its own key order; answer in canonical order, the form the hash was taken of.
    const parameterSet = JSON.parse(canonicalJson(row.document as unknown as JsonValue));
    return {
      hash: row.hash,
      parameter_set: parameterSet,
      created_at: row.created_at.toISOString(),
      run_count: row.run_count,
    };
  }

  return {
    get,

    async diff(a: string, b: string): Promise<ParameterSetDiff> {
      const [left, right] = [(await get(a)).parameter_set, (await get(b)).parameter_set];
      const context: ParameterSetDiff["context"] = {};
      for (const field of CONTEXT_FIELDS) {
        if (left[field] !== right[field]) context[field] = { old: left[field] ?? null, new: right[field] ?? null };
      }
      return { a, b, ...diffValues(left.values, right.values), context };
    },
  };
}

export type ParameterSetService = ReturnType<typeof parameterSetServiceFactory>;
