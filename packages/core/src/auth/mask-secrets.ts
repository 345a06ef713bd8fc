/**
 * @module Masking secret references for those who may not read them. A value is masked when its
 * dotted path ends with the name of a `secret_ref` parameter (`config_data.exchange.api_key`,
 * `values.exchange.api_key`), or when a diff names the parameter as a flat key
 * (`"exchange.api_key": {old, new}`). Masking more than needed is the safe direction.
 */
import { isPlainObject } from "../catalog/paths.js";

export const MASKED_SECRET = "***";

function maskAll(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskAll);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskAll(v)]));
  return value === null ? null : MASKED_SECRET;
}

export function maskSecretReferences(value: unknown, secretNames: readonly string[], path = ""): unknown {
  if (secretNames.length === 0) return value;
  const isSecret = (p: string) => secretNames.some((name) => p === name || p.endsWith(`.${name}`));
  if (path && isSecret(path)) return maskAll(value);
  if (Array.isArray(value)) return value.map((item) => maskSecretReferences(item, secretNames, path));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      maskSecretReferences(inner, secretNames, path ? `${path}.${key}` : key),
    ]),
  );
}
