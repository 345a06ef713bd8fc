/** @module GET /api/v1/stream: the change feed as Server-Sent Events. */
import { environmentName, readerOf, readerQuery, strategyName } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Queryable } from "../../db/database.js";
import { ConflictError, InvalidInputError } from "../../http/errors.js";
import type { ShutdownState } from "../../http/shutdown.js";
import { needsMasking, type SecretMasker } from "../auth/secret-masking.js";
import type { Environments } from "../environments/environments.js";
import type { PlatformMetrics } from "../metrics/registry.js";
import type { ResolvedCache } from "../resolution/resolved-cache.js";
import type { RolloutBook } from "../rollouts/book.js";
import { FanoutTimer } from "./fanout.js";
import type { ChangeFeed } from "./feed.js";
import { serveNotices } from "./notice-stream.js";
import { FrameCache, reconnectWindowMs, reportWindowMs, type StreamDeps, serveStream } from "./stream.js";

/** getOrNull's answer for a reader: nothing resolves there (no active version, a value missing). */
const nothingActive = (error: unknown) => {
  if (error instanceof ConflictError) return null;
  throw error;
};

/** A 200 that is a Server-Sent Events stream (the route writes it to the socket itself). */
function eventStream(frames: string) {
  return {
    description: `An open Server-Sent Events stream: ${frames}`,
    content: { "text/event-stream": { schema: z.string().describe("event frames (event:, id:, data: lines)") } },
  };
}

export function streamRoutes(
  app: FastifyInstance,
  deps: {
    db: Queryable;
    feed: ChangeFeed;
    resolved: ResolvedCache;
    rolloutBook: RolloutBook;
    environments: Environments;
    metrics: PlatformMetrics;
    mask: SecretMasker;
    shutdown: ShutdownState;
  },
): void {
  const frames = new FrameCache();
  const fanout = new FanoutTimer((seconds) => deps.metrics.streamFanout.observe(seconds));
  // Open streams never end by themselves: shutting down ends them (subscribers reconnect elsewhere
  // or to the restarted server), else the server would wait for them forever. A stream that gets
  // this far once shutting down began (it was being authenticated) is refused, or ended at once.
  const open = new Set<() => void>();
  app.addHook("preClose", async () => {
    for (const close of [...open]) close();
  });
  const opened = (close: () => void) => {
    if (deps.shutdown.closing()) {
      queueMicrotask(close);
      return () => {};
    }
    open.add(close);
    return () => open.delete(close);
  };
  // What every stream shares, one per audience: a subscriber holds none of its own.
  const shared = {
    db: deps.db,
    feed: deps.feed,
    // A reader a staged rollout assigns resolves its version; every other one the active version.
    resolve: (strategy: string, environment: string, reader?: { worker_id: string; labels: Record<string, string> }) =>
      reader
        ? deps.rolloutBook.resolveFor(strategy, environment, reader).catch(nothingActive)
        : deps.resolved.getOrNull(strategy, environment),
    cohortKey: deps.rolloutBook.cohortKey,
    frames,
    fanout,
    opened,
    retryMs: () => reconnectWindowMs(open.size),
    reportWithinMs: () => reportWindowMs(open.size),
    onOpen: (environment: string) => deps.metrics.subscribers.inc({ environment }),
    onClose: (environment: string) => deps.metrics.subscribers.dec({ environment }),
  };
  const streamsFor: Record<"secrets" | "masked", StreamDeps> = {
    secrets: { ...shared, audience: "secrets", mask: async (payload) => payload },
    // No role that may read secrets: every secret reference masked.
    masked: { ...shared, audience: "masked", mask: (payload) => deps.mask.mask([], payload) },
  };

  // A write answered by this replica has its events handed out (and the resolved cache updated)
  // before the answer leaves: whoever made a change reads it back at once from the same replica.
  // A worker's report changes nothing in force: it skips the read (a fleet's heartbeats would
  // each cost one).
  app.addHook("onSend", async (request, reply) => {
    if (request.method === "GET" || request.method === "HEAD" || reply.statusCode >= 400) return;
    if (request.routeOptions.config.action === "workers.report") return;
    await deps.feed.drain();
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/stream",
    {
      config: { action: "stream.subscribe", environment: "query.environment" },
      schema: {
        operationId: "subscribeToChanges",
        tags: ["distribution"],
        summary:
          "Server-Sent Events: a snapshot of the resolved configs, then a change per event (id = seq); resume with Last-Event-ID",
        querystring: z.strictObject({
          environment: environmentName.optional(),
          strategy: z.union([strategyName, z.array(strategyName)]).optional(),
          ...readerQuery,
        }),
        response: {
          200: eventStream("`snapshot` (the resolved configs), then `change` per event; `goodbye` before a shutdown"),
        },
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
      if (deps.shutdown.closing()) throw deps.shutdown.refusal();
      reply.hijack();
      const audience = needsMasking(request.principal) ? streamsFor.masked : streamsFor.secrets;
      const reader = readerOf(request.query);
      await serveStream(reply.raw, reply.getHeaders(), { environment, strategies, reader }, lastEventId, audience);
    },
  );

  app.get(
    "/api/v1/stream/notices",
    {
      config: { action: "stream.subscribe" },
      schema: {
        operationId: "subscribeToNotices",
        tags: ["distribution"],
        summary:
          "Server-Sent Events for screens: a `hello`, then a `change` notice per event in every environment (kind, environment, strategy, version, actor; no values)",
        response: { 200: eventStream("`hello`, then a `change` notice per event; `goodbye` before a shutdown") },
      },
    },
    async (request, reply) => {
      if (deps.shutdown.closing()) throw deps.shutdown.refusal();
      reply.hijack();
      serveNotices(reply.raw, reply.getHeaders(), deps.feed, request.principal?.environments ?? null, opened);
    },
  );
}
