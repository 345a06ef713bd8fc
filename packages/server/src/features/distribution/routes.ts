/** @module GET /api/v1/stream: the change feed as Server-Sent Events. */
import { environmentName, type ResolvedConfig, strategyName } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Queryable } from "../../db/database.js";
import { InvalidInputError } from "../../http/errors.js";
import type { Environments } from "../environments/environments.js";
import type { PlatformMetrics } from "../metrics/registry.js";
import { resolvedOrNull } from "../resolution/resolve.js";
import type { ChangeFeed } from "./feed.js";
import { serveStream } from "./stream.js";

const CACHE_LIMIT = 2000;

export function streamRoutes(
  app: FastifyInstance,
  deps: { db: Queryable; feed: ChangeFeed; environments: Environments; metrics: PlatformMetrics },
): void {
  // One resolution per (seq, environment, strategy), shared by every subscriber that needs it.
  const cache = new Map<string, Promise<ResolvedConfig | null>>();
  const resolve = (strategy: string, environment: string, seq: number) => {
    const key = `${seq}\0${environment}\0${strategy}`;
    let found = cache.get(key);
    if (!found) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      found = resolvedOrNull(deps.db, strategy, environment);
      cache.set(key, found);
      found.catch(() => cache.delete(key));
    }
    return found;
  };

  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/stream",
    {
      config: { action: "stream.subscribe" },
      schema: {
        tags: ["distribution"],
        summary:
          "Server-Sent Events: a snapshot of the resolved configs, then a change per event (id = seq); resume with Last-Event-ID",
        querystring: z.strictObject({
          environment: environmentName.optional(),
          strategy: z.union([strategyName, z.array(strategyName)]).optional(),
        }),
      },
    },
    async (request, reply) => {
      const environment = deps.environments.resolve(request.query.environment);
      const given = request.query.strategy;
      const strategies = given === undefined ? null : Array.isArray(given) ? given : [given];
      const header = request.headers["last-event-id"];
      let lastEventId: number | undefined;
      if (header !== undefined) {
        lastEventId = Number(header);
        if (!Number.isSafeInteger(lastEventId) || lastEventId < 0) {
          throw InvalidInputError.field("header", "last-event-id", "must be the seq of an event (a whole number)");
        }
      }
      reply.hijack();
      reply.raw.setHeader("x-request-id", String(request.id));
      await serveStream(reply.raw, { environment, strategies }, lastEventId, {
        db: deps.db,
        feed: deps.feed,
        resolve,
        onOpen: (env) => deps.metrics.subscribers.inc({ environment: env }),
        onClose: (env) => deps.metrics.subscribers.dec({ environment: env }),
      });
    },
  );
}
