/**
 * @module The Idempotency-Key header on POSTs (backtest submission, change requests, every other
 * POST that changes state): a client that got no answer retries with the same key and gets the
 * first answer, replayed (`Idempotency-Replayed: true`), never a second effect. The change kernel
 * claims the key in the change's own transaction (changes/idempotency.ts); this stores the answer
 * and replays it. The same key with another request (method, path or body) is refused 422; while
 * the first is still being carried out, or if its answer was lost, 409 with Retry-After.
 * Keys are scoped to the credential and kept for `retentionHours`.
 */
import { createHash } from "node:crypto";
import { problemTypes } from "@tradai/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Queryable } from "../db/database.js";
import { InvalidInputError, ProblemError } from "./errors.js";

const HEADER = "idempotency-key";
const KEY = /^[\x21-\x7e]{1,255}$/;

interface StoredAnswer {
  fingerprint: string;
  method: string;
  path: string;
  created_at: Date;
  status: number | null;
  content_type: string | null;
  body: string | null;
}

const fingerprintOf = (method: string, path: string, body: unknown) =>
  createHash("sha256")
    .update(`${method} ${path}\n${body === undefined ? "" : JSON.stringify(body)}`)
    .digest("hex");

/**
 * @param db where keys are read, and answers stored (the claim is the kernel's)
 */
export function registerIdempotency(app: FastifyInstance, db: Queryable): void {
  app.decorateRequest("idempotency", null);

  // Only POST routes get the hooks: the read paths (the workers' resolve polls) pay nothing.
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes("POST")) return;
    const own = <T>(hooks: T | T[] | undefined): T[] =>
      hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
    route.preHandler = [...own(route.preHandler), replayOrClaim];
  });
  // An app-level hook, added before compression's (app.ts): the answer is stored as sent, uncompressed.
  app.addHook("onSend", storeAnswer);

  async function replayOrClaim(request: FastifyRequest, reply: FastifyReply) {
    const given = request.headers[HEADER];
    if (given === undefined || request.method !== "POST" || !request.principal) return;
    const key = Array.isArray(given) ? given[0] : given;
    if (!key || !KEY.test(key))
      throw InvalidInputError.field("header", HEADER, "must be 1-255 printable ASCII characters, e.g. a UUID");
    const path = request.url.split("?")[0] as string;
    const fingerprint = fingerprintOf(request.method, request.url, request.body);
    const { rows } = await db.query<StoredAnswer>(
      `SELECT fingerprint, method, path, created_at, status, content_type, body FROM idempotency_keys
       WHERE credential = $1 AND key = $2`,
      [request.principal.name, key],
    );
    const stored = rows[0];
    if (!stored) {
      request.idempotency = { key, fingerprint, method: request.method, path };
      return;
    }
    if (stored.fingerprint !== fingerprint) {
      throw new ProblemError(
        422,
        problemTypes.idempotencyKeyReused,
        "Idempotency-Key reused",
        `Idempotency-Key ${key} was used at ${stored.created_at.toISOString()} for another request (${stored.method} ${stored.path}, or another body): use a new key for a new request`,
        [{ location: "header", field: HEADER, message: "already used for another request" }],
      );
    }
    if (stored.status === null) {
      const error = new ProblemError(
        409,
        problemTypes.idempotencyKeyInUse,
        "Idempotency-Key in use",
        `the request with Idempotency-Key ${key} is still being carried out, or its answer was lost: retry to get it; it will not be carried out twice`,
      );
      error.retryAfterSeconds = 1;
      throw error;
    }
    reply.header("idempotency-replayed", "true");
    if (stored.content_type) reply.type(stored.content_type);
    return reply.code(stored.status).send(stored.body ?? "");
  }

  async function storeAnswer(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const claim = request.idempotency;
    if (!claim || !request.principal || reply.statusCode >= 500) return payload;
    // Only a claimed key (a change was made) gets its answer stored: a refusal before any change
    // (bad input, 403) is answered the same way again anyway.
    await db.query(
      `UPDATE idempotency_keys SET status = $4, content_type = $5, body = $6
       WHERE credential = $1 AND key = $2 AND request_id = $3 AND status IS NULL`,
      [
        request.principal.name,
        claim.key,
        String(request.id),
        reply.statusCode,
        String(reply.getHeader("content-type") ?? ""),
        typeof payload === "string" ? payload : payload === null || payload === undefined ? "" : String(payload),
      ],
    );
    return payload;
  }
}

/** Forgets keys older than `hours` (a retry comes within minutes). */
export async function forgetIdempotencyKeys(db: Queryable, hours: number): Promise<number> {
  const { rowCount } = await db.query(
    "DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)",
    [hours],
  );
  return rowCount;
}
