/** @module A session's id: one per worker process and strategy, the same on every replica and retry. */
import { createHash } from "node:crypto";

const known = new Map<string, string>();
const KNOWN_MAX = 20_000;

/** A UUID (version 8, RFC 9562: custom) from the worker, its process instance and the strategy. */
export function sessionId(workerId: string, instance: string, strategy: string): string {
  // Every report of a fleet asks again: remembered (the oldest forgotten first).
  const key = `${workerId}\0${instance}\0${strategy}`;
  const found = known.get(key);
  if (found) return found;
  const id = makeSessionId(key);
  known.set(key, id);
  if (known.size > KNOWN_MAX) known.delete(known.keys().next().value as string);
  return id;
}

function makeSessionId(key: string): string {
  const hex = createHash("sha256").update(`tradai-session\0${key}`).digest("hex");
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
