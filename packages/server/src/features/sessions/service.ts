/**
 * @module Sessions: what paper and live workers ran, and when. Reports come from the workers' own
 * credentials (heartbeats carrying what they applied, or the explicit open at start); reads answer
 * "what did live-1 run at 14:03" with the version, the hash and the parameter set.
 */
import {
  type AppliedRecord,
  contentHash,
  type FieldError,
  type JsonValue,
  type listSessionsQuery,
  type OpenSessionsBody,
  type OpenSessionsResponse,
  type SessionDetail,
  type SessionList,
  type WorkerProcess,
} from "@tradai/core";
import { type Actor, assertInScope } from "../../changes/actor.js";
import type { Queryable } from "../../db/database.js";
import { InvalidInputError, NotFoundError } from "../../http/errors.js";
import type { Environments } from "../environments/environments.js";
import type { RecordedSession, SessionRecorder } from "./recorder.js";
import { sessionStore } from "./store.js";

/**
 * Values already seen to hash to their resolved hash, by hash and JSON text: a fleet applying one
 * change reports the same values thousands of times, and the same text is the same value, so it is
 * canonicalised and hashed once. Bounded: the oldest entry goes first.
 */
const verified = new Set<string>();
const VERIFIED_MAX = 5000;

function hashesTo(values: Record<string, unknown>, hash: string): boolean {
  const key = `${hash}\0${JSON.stringify(values)}`;
  if (verified.has(key)) return true;
  if (contentHash(values as JsonValue) !== hash) return false;
  verified.add(key);
  if (verified.size > VERIFIED_MAX) verified.delete(verified.values().next().value as string);
  return true;
}

/** Each apply's values must be what its hash says: the set made from them is what the worker ran. */
export function checkApplies(applies: readonly AppliedRecord[], at: string): void {
  const errors: FieldError[] = [];
  for (const [i, a] of applies.entries()) {
    if (!hashesTo(a.values, a.resolved_hash)) {
      errors.push({
        location: "body",
        field: `${at}[${i}].values`,
        message: `do not hash to resolved_hash ${a.resolved_hash.slice(0, 12)} (canonical JSON, SHA-256)`,
      });
    }
  }
  if (errors.length > 0) throw InvalidInputError.of(errors);
}

/** A process that reports applies names itself (instance) and its mode: that is its session. */
export function sessionProcess(
  process: WorkerProcess | undefined,
): (WorkerProcess & { instance: string; mode: "paper" | "live" }) | undefined {
  if (!process?.instance || !process.mode) return undefined;
  return process as WorkerProcess & { instance: string; mode: "paper" | "live" };
}

export function sessionServiceFactory({
  db,
  environments,
  recorder,
  mayReport,
}: {
  db: Queryable;
  environments: Environments;
  recorder: SessionRecorder;
  /** @throws when the actor's credential may not report for the worker id (403 / 409) */
  mayReport?: (actor: Actor, workerId: string, environment: string) => Promise<void>;
}) {
  const store = sessionStore(db);
  return {
    async open(workerId: string, body: OpenSessionsBody, actor: Actor): Promise<OpenSessionsResponse> {
      const environment = environments.resolve(body.environment, { location: "body", field: "environment" });
      assertInScope(actor, environment);
      const applies = body.applies.map((a) => ({
        ...a,
        pending_restart: a.pending_restart ?? [],
        pending_between_trades: a.pending_between_trades ?? [],
        held_shadow: a.held_shadow ?? [],
      }));
      checkApplies(applies, "applies");
      // After the input is known good, so a refused report claims no worker id.
      await mayReport?.(actor, workerId, environment);
      const sessions: RecordedSession[] = await recorder.record({
        workerId,
        environment,
        process: body.process as WorkerProcess & { instance: string; mode: "paper" | "live" },
        applies,
        final: false,
        reportedBy: actor.name,
        via: "open",
      });
      return { sessions };
    },

    async list(query: ReturnType<typeof listSessionsQuery.parse>, reader: Actor): Promise<SessionList> {
      if (query.environment) assertInScope(reader, environments.resolve(query.environment));
      const { items, total } = await store.list(
        { ...query, environments: reader.environments },
        { limit: query.limit, offset: query.offset },
      );
      const end = query.offset + items.length;
      return { items, total, limit: query.limit, offset: query.offset, next_offset: end < total ? end : null };
    },

    async get(id: string, reader: Actor): Promise<SessionDetail> {
      const session = await store.find(id);
      if (!session) throw new NotFoundError(`no session ${id}`);
      assertInScope(reader, session.environment);
      return { ...session, history: await store.history(id) };
    },
  };
}

export type SessionService = ReturnType<typeof sessionServiceFactory>;
