/**
 * @module The bytes of a resolve answer, made once per resolution: the resolved cache hands every
 * poller the same object until a change event drops it, so its JSON is kept beside it. The schema
 * shapes it exactly as the route's serializer would.
 */
import { type ResolvedConfig, resolvedConfig } from "@tradai/core";

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

const serialized = new WeakMap<ResolvedConfig, string>();

export function serializedOnce(resolved: ResolvedConfig): string {
  let json = serialized.get(resolved);
  if (json === undefined) {
    json = JSON.stringify(resolvedConfig.parse(resolved));
    serialized.set(resolved, json);
  }
  return json;
}
