/** @module Config version ids: `v{N}-{first 8 hex of the content hash}`, N counted per strategy from 1. */

export const CONFIG_ID_PATTERN = /^v([1-9]\d*)-([0-9a-f]{8})$/;

/** @example formatConfigId(3, "a3b2c1d4e5...") // => "v3-a3b2c1d4" */
export function formatConfigId(versionNumber: number, configHash: string): string {
  return `v${versionNumber}-${configHash.slice(0, 8)}`;
}
