/** @module GET /metrics (Prometheus text format, unauthenticated: scrapers carry no credentials), and request timing. */
import type { FastifyInstance } from "fastify";
import type { PlatformMetrics } from "./registry.js";

export function metricsRoutes(app: FastifyInstance, metrics: PlatformMetrics): void {
  app.get(
    "/metrics",
    { config: { action: "public" }, schema: { tags: ["health"], summary: "Prometheus metrics", hide: true } },
    async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  // By route pattern, never the raw URL: one series per route, not per strategy or id.
  app.addHook("onResponse", async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? "unmatched", status_code: reply.statusCode },
      reply.elapsedTime / 1000,
    );
  });
}
