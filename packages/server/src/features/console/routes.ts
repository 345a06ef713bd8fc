/**
 * @module The web console: the static files `packages/console` builds, served at `/`. Any path
 * that is not the API and not a file is the console's own route (`/runs/…`), so it gets
 * index.html. The files are public (no data in them); every API call they make is authenticated.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fastifyStatic from "@fastify/static";
// The OpenAPI document leaves these routes out (`schema.hide`, declared by @fastify/swagger).
import type {} from "@fastify/swagger";
import type { FastifyInstance, FastifyReply } from "fastify";

/** Where the built console is (the `@tradai/console` package's dist), or null when it is not built. */
export function consoleDirectory(): string | null {
  try {
    const packageJson = createRequire(import.meta.url).resolve("@tradai/console/package.json");
    const dist = join(dirname(packageJson), "dist");
    return existsSync(join(dist, "index.html")) ? dist : null;
  } catch {
    return null;
  }
}

// Vite emits no inline script; styles may be inline (charts, popovers position themselves).
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>TradAI console</title></head>
<body><main><h1>The console is not built</h1><p>Run <code>npm run build</code>, then reload. The API is at <a href="/api/v1/docs">/api/v1/docs</a>.</p></main></body></html>`;

const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

const isApiPath = (url: string) => url.startsWith("/api/") || url === "/api" || url.startsWith("/metrics");

export async function consoleRoutes(app: FastifyInstance, directory: string | null = consoleDirectory()) {
  if (directory) await app.register(fastifyStatic, { root: directory, serve: false, cacheControl: false });

  const sendIndex = (reply: FastifyReply) => {
    reply.header("content-security-policy", CONTENT_SECURITY_POLICY).header("cache-control", "no-cache");
    if (!directory) return reply.status(503).type("text/html; charset=utf-8").send(NOT_BUILT);
    return reply.sendFile("index.html");
  };

  // Hashed file names: a file never changes under its name.
  app.get("/assets/*", { config: { action: "public" }, schema: { hide: true } }, (request, reply) => {
    const file = (request.params as { "*": string })["*"];
    // Vite's asset names only: nothing with a path separator or "..", so no path leaves the folder.
    if (!directory || !ASSET_NAME.test(file) || !existsSync(join(directory, "assets", file)))
      return reply.callNotFound();
    reply.header("cache-control", "public, max-age=31536000, immutable");
    return reply.sendFile(join("assets", file));
  });

  app.get("/", { config: { action: "public" }, schema: { hide: true } }, (_request, reply) => sendIndex(reply));

  app.get("/*", { config: { action: "public" }, schema: { hide: true } }, (request, reply) => {
    const path = request.url.split("?")[0] as string;
    // Unknown API paths keep their problem+json 404.
    if (isApiPath(path)) return reply.callNotFound();
    return sendIndex(reply);
  });
}
