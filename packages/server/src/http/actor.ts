/**
 * @module Who is making a request. Requests are not authenticated yet (the server only listens on
 * loopback until they are), so every change is recorded as made by `anonymous`.
 */
import type { FastifyRequest } from "fastify";

export function requestActor(_request: FastifyRequest): string {
  return "anonymous";
}
