/** @module HTTP route of shadow evidence: per key, what workers would have applied of shadow parameters. */
import { type ShadowKeySummary, shadowKeySummary, shadowSummaryQuery } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { assertInScope, inScope, requestActor } from "../../changes/actor.js";
import { problemResponses } from "../../http/openapi/responses.js";
import type { Environments } from "../environments/environments.js";
import type { ShadowStore } from "./store.js";

/** The catalog parameter that is `key` or holds it (the longest name), as reload classes are found. */
function parameterOf(key: string, reloadOf: ReadonlyMap<string, ShadowKeySummary["reload"]>) {
  const parts = key.split(".");
  for (let n = parts.length; n > 0; n--) {
    const name = parts.slice(0, n).join(".");
    if (reloadOf.has(name)) return { parameter: name, reload: reloadOf.get(name) ?? null };
  }
  return { parameter: null, reload: null };
}

export function shadowRoutes(
  app: FastifyInstance,
  deps: {
    store: ShadowStore;
    environments: Environments;
    /** the catalog's parameters now, with their reload class */
    parameters: () => Promise<readonly { name: string; reload: NonNullable<ShadowKeySummary["reload"]> }[]>;
  },
): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/catalog/shadow",
    {
      config: { action: "catalog.read" },
      schema: {
        operationId: "getShadowEvidence",
        tags: ["catalog"],
        summary:
          "Shadow evidence: per key, how many would-apply observations workers reported, on how many workers, over which period, how many mid-trade",
        querystring: shadowSummaryQuery,
        response: { 200: z.object({ items: z.array(shadowKeySummary) }), ...problemResponses(403, 422) },
      },
    },
    async (request) => {
      const reader = requestActor(request);
      const { environment, since } = request.query;
      if (environment) {
        deps.environments.resolve(environment, { location: "query", field: "environment" });
        assertInScope(reader, environment);
      }
      const environments = environment ? [environment] : deps.environments.names.filter((e) => inScope(reader, e));
      const reloadOf = new Map((await deps.parameters()).map((p) => [p.name, p.reload]));
      const items = await deps.store.summary({ environments, since });
      return { items: items.map((s) => ({ ...s, ...parameterOf(s.key, reloadOf) })) };
    },
  );
}
