/**
 * @module Security headers on every answer: helmet's defaults, without Content-Security-Policy.
 *
 * They do not depend on the request, so helmet computes them once, at start, and each answer gets
 * the same set with its request id. (@fastify/helmet builds helmet's middleware anew for every
 * request: that cost the resolve poll path about a third of its requests per second,
 * `bench:propagation`.)
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import helmet, { type HelmetOptions } from "helmet";

/** The headers helmet sets with these options, lower-cased, read once from its middleware. */
export function helmetHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  // Without CSP every header helmet sets is a constant, and its middleware ends synchronously.
  if (!finished) throw new Error("helmet's middleware did not finish synchronously");
  return Object.freeze(headers);
}

/** Sets the security headers and `x-request-id` on every answer, before any route or hook runs. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  const headers = helmetHeaders({ contentSecurityPolicy: false });
  app.addHook("onRequest", (request, reply, done) => {
    reply.headers(headers);
    reply.header("x-request-id", request.id);
    done();
  });
}
