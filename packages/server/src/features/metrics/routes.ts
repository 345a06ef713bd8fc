/** @module GET /metrics: Prometheus text format, unauthenticated (scrapers carry no credentials). */
import type { FastifyInstance } from "fastify";
import type { PlatformMetrics } from "./registry.js";

export function metricsRoutes(app: FastifyInstance, metrics: PlatformMetrics): void {
  app.get(
    "/metrics",
    { config: { action: "public" }, schema: { tags: ["health"], summary: "Prometheus metrics", hide: true } },
    async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
