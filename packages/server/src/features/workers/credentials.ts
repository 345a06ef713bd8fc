/**
 * @module Who may say what a worker runs. Only a worker's own credential: a token bound to a
 * pattern of worker ids reports for those ids only (403), and the first credential that reports
 * for an id owns it; another is refused (409) until an admin retires the worker, which releases the
 * id. The id is claimed in the database before the report writes anything (its session history
 * included), so two credentials racing for a new id cannot both write; the heartbeat's upsert
 * holds the same rule.
 */
import { workerIdMatches } from "@tradai/core";
import type { Actor } from "../../changes/actor.js";
import type { Queryable } from "../../db/database.js";
import { ConflictError, ForbiddenError } from "../../http/errors.js";

export const ownedElsewhere = (workerId: string, credential: string) =>
  `worker ${workerId} reports with another credential; ${credential} may not report for it until an admin retires it (tradai workers retire ${workerId})`;

/** Owners this replica confirmed, kept so a heartbeat costs no query: at most this many. */
const OWNERS_KEPT = 100_000;

export function reporterCheck(db: Queryable) {
  // worker id -> the credential confirmed as its owner. An id changes owner only when an admin
  // retires it, which announces an auth change: every replica forgets then (forget()).
  const owners = new Map<string, string>();
  const remember = (workerId: string, credential: string) => {
    if (owners.size >= OWNERS_KEPT) owners.clear();
    owners.set(workerId, credential);
  };
  return {
    /**
     * Claims `workerId` for the actor's credential (a new id, or one an admin released).
     * @throws ForbiddenError outside the token's worker ids; ConflictError when another credential owns the id
     */
    async assertMayReport(
      actor: Pick<Actor, "name" | "worker_ids">,
      workerId: string,
      environment: string,
    ): Promise<void> {
      if (actor.worker_ids && !workerIdMatches(actor.worker_ids, workerId)) {
        throw new ForbiddenError(
          `${actor.name} may report only for workers matching "${actor.worker_ids}", not for ${workerId}`,
        );
      }
      if (owners.get(workerId) === actor.name) return;
      // One statement: a new id is claimed, a released one taken over, an owned one left alone.
      const { rows } = await db.query<{ reported_by: string }>(
        `INSERT INTO workers (worker_id, environment, applied, reported_by)
         VALUES ($1, $2, '[]', $3)
         ON CONFLICT (worker_id) DO UPDATE SET reported_by = EXCLUDED.reported_by, released = false
           WHERE workers.released
         RETURNING reported_by`,
        [workerId, environment, actor.name],
      );
      if (rows.length > 0) return remember(workerId, actor.name); // claimed now
      const { rows: owner } = await db.query<{ reported_by: string }>(
        "SELECT reported_by FROM workers WHERE worker_id = $1",
        [workerId],
      );
      if (owner[0] && owner[0].reported_by !== actor.name)
        throw new ConflictError(ownedElsewhere(workerId, actor.name));
      if (owner[0]) remember(workerId, actor.name);
    },
    /** Forgets the owners confirmed so far (an id was released, or the announcement may have been missed). */
    clear() {
      owners.clear();
    },
  };
}

export type ReporterCheck = ReturnType<typeof reporterCheck>;
