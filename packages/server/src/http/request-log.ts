/**
 * @module One log line per request, with what Loki users query: the request id, the method and
 * route (the pattern, not the URL: no ids or query strings, so no secret a URL may carry), the
 * status, the time taken and who acted. Headers are never logged.
 */
import { type FastifyReply, type FastifyRequest, LogController } from "fastify";

export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const fields = {
      method: request.method,
      route: request.routeOptions.url ?? null,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      actor: request.principal?.name ?? null,
    };
    if (error) request.log.error({ ...fields, err: error }, "request failed");
    else request.log.info(fields, "request");
  }
}
