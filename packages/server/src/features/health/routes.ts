/** @module Liveness and database reachability; unauthenticated by design. */
import { healthResponse } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Database } from "../../db/database.js";

export function healthRoutes(app: FastifyInstance, db: Database, version: string): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/health",
    {
      config: { action: "public" },
      schema: {
        tags: ["health"],
        summary: "Liveness and database reachability",
        response: { 200: healthResponse, 503: healthResponse },
      },
    },
    async (request, reply) => {
      const started = performance.now();
      const reachable = await db.query("SELECT 1").then(
        () => true,
        (error) => {
          request.log.error({ err: error }, "database unreachable");
          return false;
        },
      );
      const latency_ms = Math.round((performance.now() - started) * 100) / 100;
      return reply.status(reachable ? 200 : 503).send({
        status: reachable ? "ok" : "unavailable",
        version,
        database: { kind: db.kind, reachable, latency_ms },
      });
    },
  );
}
