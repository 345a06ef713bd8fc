/**
 * @module Health, unauthenticated by design: liveness (the process answers: restart it only when
 * this fails), readiness (send it traffic: the database answers, the change feed's LISTEN
 * connection is up and its table read, the S3 store's circuit is closed, it is not shutting
 * down), and the database's reachability.
 */
import { healthResponse, livenessResponse, type ReadinessResponse, readinessResponse } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Database } from "../../db/database.js";
import type { ShutdownState } from "../../http/shutdown.js";
import { breakerStates } from "../../resilience/breakers.js";
import type { ChangeFeed } from "../distribution/feed.js";

/** A health check answers within this, whatever the database does (a frozen server answers nothing). */
export const HEALTH_TIMEOUT_MS = 800;
/** The feed reads its table every 2 s: unconfirmed for longer than this, it cannot. */
const FEED_CONFIRMED_WITHIN_MS = 5000;

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

export interface HealthDeps {
  db: Database;
  version: string;
  feed: ChangeFeed;
  shutdown: ShutdownState;
  /** an S3 artifact store is configured (its circuit breaker is then checked) */
  s3: boolean;
}

export function healthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  const { db, version } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const started = Date.now();

  /** The database answered `SELECT 1` within the health budget; how long it took. */
  const probeDatabase = async (log: FastifyInstance["log"]) => {
    const begun = performance.now();
    const probe = db.query("SELECT 1");
    probe.catch((error) => log.warn({ err: error }, "health: database unreachable"));
    const reachable = await within(probe, HEALTH_TIMEOUT_MS);
    return { reachable, latency_ms: Math.round((performance.now() - begun) * 100) / 100 };
  };

  r.get(
    "/api/v1/health",
    {
      config: { action: "public" },
      schema: {
        operationId: "getHealth",
        tags: ["health"],
        summary: "The database's reachability (503 within 1 s when it does not answer)",
        response: { 200: healthResponse, 503: healthResponse },
      },
    },
    async (request, reply) => {
      const { reachable, latency_ms } = await probeDatabase(request.log);
      if (!reachable) reply.header("retry-after", "5");
      return reply.status(reachable ? 200 : 503).send({
        status: reachable ? "ok" : "unavailable",
        version,
        database: { kind: db.kind, reachable, latency_ms },
      });
    },
  );

  r.get(
    "/api/v1/health/live",
    {
      config: { action: "public" },
      schema: {
        operationId: "getLiveness",
        tags: ["health"],
        summary: "Liveness: the process runs and answers (a dependency's outage does not fail it)",
        response: { 200: livenessResponse },
      },
    },
    async () => ({ status: "alive" as const, version, uptime_seconds: Math.round((Date.now() - started) / 1000) }),
  );

  r.get(
    "/api/v1/health/ready",
    {
      config: { action: "public" },
      schema: {
        operationId: "getReadiness",
        tags: ["health"],
        summary:
          "Readiness: the database answers, the change feed is current, the S3 store's circuit is closed, not shutting down (503 otherwise)",
        response: { 200: readinessResponse, 503: readinessResponse },
      },
    },
    async (request, reply) => {
      const database = await probeDatabase(request.log);
      const unconfirmedMs = Date.now() - deps.feed.confirmedAt;
      const checks: ReadinessResponse["checks"] = {
        database: {
          ok: database.reachable,
          detail: database.reachable
            ? `${db.kind} answered in ${database.latency_ms} ms`
            : `${db.kind} did not answer within ${HEALTH_TIMEOUT_MS} ms`,
        },
        change_feed: {
          ok: deps.feed.listening && unconfirmedMs <= FEED_CONFIRMED_WITHIN_MS,
          detail: `LISTEN connection ${deps.feed.listening ? "up" : "down (reconnecting)"}; table read to its end ${(unconfirmedMs / 1000).toFixed(1)} s ago (event ${deps.feed.seq})`,
        },
        shutting_down: {
          ok: !deps.shutdown.closing(),
          detail: deps.shutdown.closing() ? "shutting down" : "serving",
        },
      };
      if (deps.s3) {
        const state = breakerStates().get("s3") ?? 0;
        checks.artifact_store = {
          ok: state < 2,
          detail: state < 2 ? "S3: circuit closed" : "S3: circuit open after repeated failures",
        };
      }
      const ready = Object.values(checks).every((c) => c?.ok !== false);
      if (!ready) reply.header("retry-after", "5");
      return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready", version, checks });
    },
  );
}
