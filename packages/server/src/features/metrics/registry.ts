/** @module The platform's Prometheus metrics (prom-client), one registry per platform instance. */
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";

export function platformMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "tradai_" });
  return {
    registry,
    rbacShadowViolations: new Counter({
      name: "tradai_rbac_shadow_violations_total",
      help: "Requests RBAC would have refused, allowed because TRADAI_RBAC_MODE=shadow",
      labelNames: ["action", "principal_kind"] as const,
      registers: [registry],
    }),
    authFailures: new Counter({
      name: "tradai_auth_failures_total",
      help: "Requests refused with 401 (missing or wrong credentials)",
      registers: [registry],
    }),
    subscribers: new Gauge({
      name: "tradai_stream_subscribers",
      help: "Open change-stream (SSE) connections on this replica",
      labelNames: ["environment"] as const,
      registers: [registry],
    }),
    forbidden: new Counter({
      name: "tradai_forbidden_total",
      help: "Requests refused with 403 by RBAC",
      labelNames: ["action"] as const,
      registers: [registry],
    }),
  };
}

export type PlatformMetrics = ReturnType<typeof platformMetrics>;
