/**
 * @module Who may say what a worker runs. Only a worker's own credential: a token bound to a
 * pattern of worker ids reports for those ids only (403), and the first credential that reports
 * for an id owns it; another credential is refused (409) until an admin retires the worker. The
 * heartbeat's upsert holds the same rule, so two credentials racing for a new id cannot both win.
 */
import { workerIdMatches } from "@tradai/core";
import type { Actor } from "../../changes/actor.js";
import type { Queryable } from "../../db/database.js";
import { ConflictError, ForbiddenError } from "../../http/errors.js";

export const ownedElsewhere = (workerId: string, credential: string) =>
  `worker ${workerId} reports with another credential; ${credential} may not report for it until an admin retires it (tradai workers retire ${workerId})`;

/** Credentials a worker id is known (on this replica) to be reported by: its rows need no query. */
const KNOWN_MAX = 100_000;

export function reporterCheck(db: Queryable) {
  const owners = new Map<string, string>();
  return {
    /** @throws ForbiddenError outside the token's worker ids; ConflictError when another credential owns the id */
    async assertMayReport(actor: Pick<Actor, "name" | "worker_ids">, workerId: string): Promise<void> {
      if (actor.worker_ids && !workerIdMatches(actor.worker_ids, workerId)) {
        throw new ForbiddenError(
          `${actor.name} may report only for workers matching "${actor.worker_ids}", not for ${workerId}`,
        );
      }
      if (owners.get(workerId) === actor.name) return;
      const { rows } = await db.query<{ reported_by: string; retired: boolean }>(
        "SELECT reported_by, retired_at IS NOT NULL AS retired FROM workers WHERE worker_id = $1",
        [workerId],
      );
      const row = rows[0];
      if (row && !row.retired && row.reported_by !== actor.name)
        throw new ConflictError(ownedElsewhere(workerId, actor.name));
      if (row && !row.retired) {
        if (owners.size >= KNOWN_MAX) owners.clear();
        owners.set(workerId, actor.name);
      }
    },
    /** The id was retired (here or elsewhere): its owner is asked again next time. */
    forget(workerId: string): void {
      owners.delete(workerId);
    },
  };
}

export type ReporterCheck = ReturnType<typeof reporterCheck>;
