/** @module HTTP routes of the legacy mirror: set it per environment (admin); each mirror's lag. */
import { environmentName, legacyMirrorBody, legacyMirrorView } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { assertInScope, inScope, requestActor } from "../../changes/actor.js";
import { problemResponses } from "../../http/openapi/responses.js";
import type { LegacyMirrorService } from "./service.js";

const tags = ["imports"];

export function legacyMirrorRoutes(app: FastifyInstance, service: LegacyMirrorService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/legacy-mirrors",
    {
      config: { action: "workers.read" },
      schema: {
        operationId: "listLegacyMirrors",
        tags,
        summary:
          "The legacy mirrors: per environment, the strategy whose resolved config is written back to the legacy row, how far behind it is, its last error",
        querystring: z.object({ environment: environmentName.optional() }),
        response: { 200: z.object({ items: z.array(legacyMirrorView) }), ...problemResponses(422) },
      },
    },
    async (request) => {
      const reader = requestActor(request);
      if (request.query.environment) assertInScope(reader, request.query.environment);
      const items = await service.list(request.query.environment);
      return { items: items.filter((m) => inScope(reader, m.environment)) };
    },
  );

  r.put(
    "/api/v1/legacy-mirrors/:environment",
    {
      config: { action: "imports.write", environment: "params.environment" },
      schema: {
        operationId: "setLegacyMirror",
        tags,
        summary:
          "Set the legacy mirror of one strategy in an environment: on (the resolved config written to the legacy row after each change, retried until it lands) or off, and the legacy table and columns",
        params: z.object({ environment: environmentName }),
        body: legacyMirrorBody,
        response: { 200: legacyMirrorView, ...problemResponses(403, 409, 422) },
      },
    },
    (request) => service.set(request.params.environment, request.body, requestActor(request)),
  );
}
