/** @module What a failed API call throws: the server's problem, or that the server could not be reached. */
import type { Problem } from "@tradai/core";

/** The server answered with an error (problem+json). */
export class ApiProblemError extends Error {
  constructor(
    readonly problem: Problem,
    /** What the server's Retry-After header said (seconds), when it sent one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`${problem.title}: ${problem.detail}`);
    this.name = "ApiProblemError";
  }
  get status(): number {
    return this.problem.status;
  }
}

/** No answer: the server is down, the URL is wrong, or the network failed. */
export class ApiUnreachableError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    // fetch wraps the real reason (ECONNREFUSED, ENOTFOUND, "bad port", ...) in `cause`.
    const inner = (cause as { cause?: { code?: string; message?: string } })?.cause;
    const reason = inner?.code ?? inner?.message ?? (cause as Error)?.message ?? String(cause);
    super(`cannot reach the TradAI server at ${url} (${reason}); is it running? (npx tradai serve)`);
    this.name = "ApiUnreachableError";
  }
}
