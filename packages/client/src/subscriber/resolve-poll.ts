/**
 * @module The subscriber's fallback while its stream is down: `resolve` polled with If-None-Match
 * (a 304 costs the server no resolution), and the catalog's reload classes, which a poll answer
 * does not carry (a change event does).
 */
import type { ChangedKey, ResolvedConfig } from "@tradai/core";
import type { IncomingConfig } from "./applied-state.js";

export interface PollTarget {
  base: string;
  authorization: string;
  environment: string;
  fetch: typeof fetch;
  /** worker_id (and labels): who reads, so a staged rollout that assigns it answers its version */
  reader?: Record<string, string>;
}

/** The strategy's resolved config, or "unchanged" when it still has `knownHash`. @throws Error on any other answer */
export async function pollResolve(
  target: PollTarget,
  strategy: string,
  knownHash: string | null | undefined,
): Promise<IncomingConfig | "unchanged"> {
  const headers: Record<string, string> = { authorization: target.authorization, accept: "application/json" };
  if (knownHash) headers["if-none-match"] = `"${knownHash}"`;
  const query = new URLSearchParams({ environment: target.environment, ...target.reader });
  const response = await target.fetch(`${target.base}/api/v1/resolve/${encodeURIComponent(strategy)}?${query}`, {
    headers,
  });
  if (response.status === 304) return "unchanged";
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    throw new Error(`resolve ${strategy} answered HTTP ${response.status}: ${text.slice(0, 300)}`);
  }
  const resolved = (await response.json()) as ResolvedConfig;
  return {
    strategy,
    config_version_id: resolved.config_version_id,
    resolved_hash: resolved.resolved_hash,
    values: resolved.values,
    warnings: resolved.warnings ?? [],
  };
}

/** Every catalog parameter with its reload class (keys below a parameter take its class). */
export async function catalogReloadClasses(target: PollTarget): Promise<ChangedKey[]> {
  const response = await target.fetch(`${target.base}/api/v1/catalog`, {
    headers: { authorization: target.authorization, accept: "application/json" },
  });
  if (!response.ok) throw new Error(`the catalog answered HTTP ${response.status}`);
  const { items } = (await response.json()) as {
    items: { parameter: { name: string; reload?: ChangedKey["reload"] } }[];
  };
  return items.map(({ parameter }) => ({ key: parameter.name, reload: parameter.reload ?? "restart" }));
}
