/** @module @tradai/client: typed API client (and, later, the worker subscriber SDK). */
export * from "./api-client.js";
export * from "./catalog-client.js";
export * from "./errors.js";
export * from "./governance-client.js";
export * from "./import-client.js";
export * from "./subscriber/applied-state.js";
export * from "./subscriber/last-known-good.js";
export * from "./subscriber/signals.js";
export * from "./subscriber/subscriber.js";
