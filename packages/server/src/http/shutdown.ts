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
  // Every answer once closing ends its connection: an idle kept-alive socket would hold the server
  // open (the server closes idle connections once, when it starts to close).
  app.addHook("onSend", (_request, reply, _payload, done) => {
    if (closing) reply.header("connection", "close");
    done();
  });
  app.addHook("preClose", async () => {
    closing = true;
  });
  return {
    closing: () => closing,
    begin: () => {
      closing = true;
    },
    refusal,
  };
}
