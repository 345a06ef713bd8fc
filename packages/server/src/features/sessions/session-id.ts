/** @module A session's id: one per worker process and strategy, the same on every replica and retry. */
import { createHash } from "node:crypto";

/** A UUID (version 8, RFC 9562: custom) from the worker, its process instance and the strategy. */
export function sessionId(workerId: string, instance: string, strategy: string): string {
  const hex = createHash("sha256").update(`tradai-session\0${workerId}\0${instance}\0${strategy}`).digest("hex");
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
