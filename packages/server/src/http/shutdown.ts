/**
 * @module Shutting down: from the moment the server starts to close, every new request (and every
 * request still being authenticated when it reaches its handler) is answered 503 with Retry-After,
 * so a client goes to another replica or comes back to the restarted one. Long-lived answers (event
 * streams) ask `closing()` before they open, and close at once if it is already true.
 */
import { problemTypes } from "@tradai/core";
import type { FastifyInstance } from "fastify";
import { UnavailableError } from "./errors.js";

/** Seconds a client is asked to wait before trying again (another replica usually answers at once). */
export const SHUTDOWN_RETRY_AFTER_SECONDS = 1;

export interface ShutdownState {
  closing(): boolean;
  /** Marks the server as closing (also done by app.close()); idempotent. */
  begin(): void;
  /** The 503 a request gets once the server is closing. */
  refusal(): UnavailableError;
}

export function registerShutdown(app: FastifyInstance): ShutdownState {
  let closing = false;
  const refusal = () =>
    new UnavailableError(
      problemTypes.shuttingDown,
      "Shutting down",
      `this server is shutting down: retry after ${SHUTDOWN_RETRY_AFTER_SECONDS} s (another replica, or this one restarted, answers)`,
      SHUTDOWN_RETRY_AFTER_SECONDS,
    );
  app.addHook("onRequest", (_request, _reply, done) => done(closing ? refusal() : undefined));
  // Once closing, connections left idle after their answer are closed as they come: the server
  // closes idle connections only once, when it starts to close, and a kept-alive socket would
  // hold it open. (A hook on every answer would cost the read paths on every request.)
  let sweeper: ReturnType<typeof setInterval> | undefined;
  const begin = () => {
    closing = true;
    sweeper ??= setInterval(() => app.server.closeIdleConnections(), 100);
    sweeper.unref();
  };
  app.addHook("preClose", async () => begin());
  app.addHook("onClose", async () => clearInterval(sweeper));
  return { closing: () => closing, begin, refusal };
}
