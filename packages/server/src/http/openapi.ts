/** @module The OpenAPI document (`/api/v1/openapi.json`) and its docs page (`/api/v1/docs`). */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { problem } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import { jsonSchemaTransform } from "fastify-type-provider-zod";

/** Response schemas for the listed error statuses, so the document shows the problem shape. */
export function problemResponses(...statuses: number[]): Record<number, typeof problem> {
  return Object.fromEntries(statuses.map((status) => [status, problem]));
}

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: "TradAI Configuration Platform API",
        version,
        description:
          "Errors are application/problem+json (RFC 9457) with one `errors` entry per offending field. " +
          "Every endpoint but health, metrics and login needs credentials: HTTP Basic, a bearer token, or the console's session cookie.",
      },
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
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/api/v1/docs" });
  app.get("/api/v1/openapi.json", { schema: { hide: true } }, () => app.swagger());
}
