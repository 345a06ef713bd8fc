/**
 * @module One log line per request, with what Loki users query: the request id, the method and
 * route (the pattern, not the URL: no ids or query strings, so no secret a URL may carry), the
 * status, the time taken and who acted. Headers are never logged.
 *
 * Levels, so a terminal is not drowned by polling: a failure (5xx, or an error thrown) at error,
 * a 503 (shutting down, the database away: "later", not a failure) at warn, a refusal (4xx) and a
 * slow request at info, every other request at debug. An event stream is long by nature and never
 * counts as slow. A refusal's line carries the problem's detail (noted by the error handler).
 */
import { type FastifyReply, type FastifyRequest, LogController } from "fastify";

const problems = new WeakMap<FastifyRequest, { detail: string; err?: Error }>();

/** The problem a request was answered with, for its one log line. */
export function noteProblem(request: FastifyRequest, problem: { detail: string; err?: Error }): void {
  problems.set(request, problem);
}

type LogControllerOptions = ConstructorParameters<typeof LogController>[0];

export class RequestLog extends LogController {
  constructor(
    options: LogControllerOptions,
    private readonly slowMs: number,
  ) {
    super(options);
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const ms = Math.round(reply.elapsedTime * 10) / 10;
    const fields = {
      method: request.method,
      route: request.routeOptions.url ?? null,
      status: reply.statusCode,
      ms,
      actor: request.principal?.name ?? null,
    };
    const problem = problems.get(request);
    const err = error ?? problem?.err;
    if (reply.statusCode === 503) {
      request.log.warn({ ...fields, detail: problem?.detail }, "request refused for now");
      return;
    }
    if (err || reply.statusCode >= 500) {
      request.log.error({ ...fields, detail: problem?.detail, ...(err ? { err } : {}) }, "request failed");
      return;
    }
    // The streams set their content type on the raw response (after a setHeader, so Node keeps it).
    const stream = String(reply.getHeader("content-type") ?? "").startsWith("text/event-stream");
    const slow = !stream && ms >= this.slowMs;
    if (reply.statusCode >= 400)
      request.log.info({ ...fields, detail: problem?.detail, ...(slow ? { slow } : {}) }, "request refused");
    else if (slow) request.log.info({ ...fields, slow }, "slow request");
    else request.log.debug(fields, "request");
  }
}
