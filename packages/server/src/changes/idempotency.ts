/**
 * @module Claiming a request's Idempotency-Key inside the transaction of the change it makes: the
 * change and the claim commit together, so a retry of a request whose answer was lost can never
 * make the change twice. A request that commits several changes claims once (the row names it);
 * another request with the same key (a concurrent retry) is refused 409 until the first answered.
 */
import { problemTypes } from "@tradai/core";
import type {} from "fastify";
import type { Queryable } from "../db/database.js";
import { ProblemError } from "../http/errors.js";
import type { Actor } from "./actor.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The request's Idempotency-Key, for the change kernel to claim (http/idempotency.ts); null: none given. */
    idempotency: IdempotencyClaim | null;
  }
}

/** What a request's Idempotency-Key header gives the kernel. */
export interface IdempotencyClaim {
  key: string;
  fingerprint: string;
  method: string;
  path: string;
}

export class IdempotencyKeyInUseError extends ProblemError {
  constructor(key: string) {
    super(
      409,
      problemTypes.idempotencyKeyInUse,
      "Idempotency-Key in use",
      `another request with Idempotency-Key ${key} is being carried out: retry to get its answer`,
    );
    this.retryAfterSeconds = 1;
  }
}

export async function claimIdempotencyKey(tx: Queryable, actor: Actor): Promise<void> {
  const claim = actor.idempotency;
  if (!claim || !actor.requestId) return;
  const { rows } = await tx.query(
    `INSERT INTO idempotency_keys (credential, key, fingerprint, method, path, request_id)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (credential, key) DO UPDATE SET request_id = EXCLUDED.request_id
       WHERE idempotency_keys.request_id = EXCLUDED.request_id
     RETURNING 1`,
    [actor.name, claim.key, claim.fingerprint, claim.method, claim.path, actor.requestId],
  );
  if (rows.length === 0) throw new IdempotencyKeyInUseError(claim.key);
}
