/** @module The OpenAPI document (`/api/v1/openapi.json`) and its docs page (`/api/v1/docs`), both public. */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { nameSchemas } from "./components.js";
import { finishDocument } from "./finish-document.js";
import { documentRoute } from "./responses.js";

const openApiDocument = z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) });

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  nameSchemas();
  await app.register(swagger, {
    openapi: {
      info: {
        title: "TradAI Configuration Platform API",
        version,
        description:
          "Errors are application/problem+json (RFC 9457) with one `errors` entry per offending field. " +
          "Every endpoint but health, metrics, login and this document needs credentials: HTTP Basic, a bearer token, or the console's session cookie.",
      },
      servers: [{ url: "/", description: "this server" }],
      components: {
        securitySchemes: {
          basic: { type: "http", scheme: "basic" },
          bearer: {
            type: "http",
            scheme: "bearer",
            description: "a tdt_ service token, a tds_ login token, or an OIDC JWT",
          },
        },
      },
      security: [{ basic: [] }, { bearer: [] }],
    },
    transform: documentRoute,
    transformObject: finishDocument,
  });
  await app.register(swaggerUi, { routePrefix: "/api/v1/docs" });
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/openapi.json",
    {
      config: { action: "docs.read" },
      schema: {
        operationId: "getOpenApiDocument",
        tags: ["docs"],
        summary: "This document (OpenAPI 3.0)",
        response: {
          200: { description: "The OpenAPI document", content: { "application/json": { schema: openApiDocument } } },
        },
      },
    },
    () => app.swagger() as z.infer<typeof openApiDocument>,
  );
}
