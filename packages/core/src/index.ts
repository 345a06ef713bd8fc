/** @module @tradai/core: pure shared logic (no I/O, no Node-only APIs), safe for the browser. */

export * from "./audit/chain.js";
export * from "./audit/schemas.js";
export * from "./auth/permissions.js";
export * from "./auth/schemas.js";
export * from "./canonical/canonical-json.js";
export * from "./canonical/number-round-trip.js";
export * from "./canonical/strict-json.js";
export * from "./catalog/api-schemas.js";
export * from "./catalog/compile.js";
export * from "./catalog/parameter.js";
export * from "./catalog/paths.js";
export * from "./catalog/rules.js";
export * from "./catalog/value-schema.js";
export * from "./change-requests/approval.js";
export * from "./change-requests/schemas.js";
export * from "./configs/config-id.js";
export * from "./configs/schemas.js";
export * from "./environments/schemas.js";
export * from "./http/problem.js";
export * from "./resolution/layers.js";
export * from "./resolution/schemas.js";
export * from "./runs/backtest-schemas.js";
export * from "./runs/diff.js";
export * from "./runs/merge.js";
export * from "./runs/parameter-set.js";
export * from "./runs/timeframes.js";
