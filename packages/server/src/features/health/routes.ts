/** @module Liveness and database reachability; unauthenticated by design. */
import { healthResponse } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Database } from "../../db/database.js";

/** A health check answers within this, whatever the database does (a frozen server answers nothing). */
export const HEALTH_TIMEOUT_MS = 800;

/** Resolves false when `probe` has not succeeded within `ms` (the probe itself is left to end on its own). */
function within(probe: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    probe.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}

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
      const probe = db.query("SELECT 1");
      probe.catch((error) => request.log.error({ err: error }, "database unreachable"));
      const reachable = await within(probe, HEALTH_TIMEOUT_MS);
      if (!reachable) reply.header("retry-after", "5");
      const latency_ms = Math.round((performance.now() - started) * 100) / 100;
      return reply.status(reachable ? 200 : 503).send({
        status: reachable ? "ok" : "unavailable",
        version,
        database: { kind: db.kind, reachable, latency_ms },
      });
    },
  );
}
