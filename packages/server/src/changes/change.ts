/**
 * @module What a feature hands the change kernel: a description of one change (what it may alter,
 * where it acts, the work that writes it, how to propose it when it needs four eyes), and what the
 * kernel hands back.
 */
import type { ChangeEffect, ChangeRequestKind, ConfigEventKind, JsonValue, ValuesDiff } from "@tradai/core";
import type { Queryable } from "../db/database.js";
import type { Actor } from "./actor.js";
import type { AuditEntryInput } from "./audit-writer.js";
import type { ActiveFreeze } from "./sources.js";

/** Resolved configs a change may alter: a strategy in an environment; left out: every one. */
export interface Affects {
  strategy?: string;
  environment?: string;
}

/** A change that can be carried out again later, by name, from its payload (what a change request holds). */
export interface Command {
  name: string;
  payload: JsonValue;
}

/** The change request a change is carrying out. */
export interface ApplyingRequest {
  id: number;
  /** null: a request made before effects were bound (its activation checks its version instead) */
  effect_hash: string | null;
  author: string;
  author_person: string | null;
  approvals_required: number;
  environments: readonly string[];
  /** break-glass: applied without the approvals, by one admin, with this reason */
  break_glass_reason?: string;
}

export interface ChangeRecord {
  /** Who makes the change (when a change request is applied: who applies it). */
  readonly actor: Actor;
  /** Queues an audit entry; the kernel writes it after the change's events. The last one carries the gate's findings. */
  audit(entry: AuditEntryInput): void;
  /** Declares that this change carries out an approved change request (or breaks glass on one). */
  applyChangeRequest(request: ApplyingRequest): void;
  readonly applying: ApplyingRequest | null;
  /** The freeze window covering the environment now, if any. */
  activeFreeze(environment: string): Promise<ActiveFreeze | null>;
  /** Commits what was written, then answers with this error (e.g. closing an expired request). */
  refuseAfterCommit(error: Error): void;
  /** Runs once the change has committed (announcements). */
  afterCommit(fn: () => void | Promise<void>): void;
}

/** What a change request shows of the change it holds. */
export interface Proposal {
  kind: ChangeRequestKind;
  command: Command;
  /** one line: "activate v3-1a2b3c4d of StochRsiStrategy in prod" */
  summary: string;
  /** the environment it is about; null: several or all */
  environment: string | null;
  /** what it changes in its subject (the version's values, the base values, the catalog, the policy) */
  diff: ValuesDiff;
  /** activations and promotions: the version, and the one active when proposed */
  activation?: {
    strategy: string;
    from_environment: string | null;
    config_version_id: number;
    config_id: string;
    config_hash: string;
    catalog_revision: number | null;
    base_config_id: string | null;
  };
}

export interface Change<T> {
  /** For messages: "activation of v3-1a2b3c4d of StochRsiStrategy in prod". */
  what: string;
  /** The kind of feed event its resolved changes carry (default: activation). */
  event?: ConfigEventKind;
  /** The resolved configs it may alter; the kernel refuses to commit a change that altered others. */
  affects?: readonly Affects[];
  /** Environments it acts in without altering resolved configs; "global": every one. */
  acts?: readonly string[] | "global";
  /**
   * A staged rollout's step, completion or return, carrying out what its start was judged on (and
   * approved for): not proposed again while every config it alters is the rollout's pair, moving
   * to the rollout's version or back to the active one. Freezes still apply.
   */
  continuesRollout?: { id: string; strategy: string; environment: string; config_id: string };
  /** A reason to act in a frozen environment (needs `freezes.override`). */
  freezeOverrideReason?: string | undefined;
  /** Writes that stay when the change becomes a change request (undone when it is refused). */
  prepare?(tx: Queryable, record: ChangeRecord): Promise<void>;
  /** The writes of the change itself. */
  work(tx: Queryable, record: ChangeRecord): Promise<T>;
  /** How to propose it when it needs four eyes; without: such a change is refused. */
  propose?(result: T): Proposal;
}

export type Committed<T> =
  | { outcome: "applied"; result: T; effect: ChangeEffect }
  | { outcome: "proposed"; change_request_id: number; created: boolean };

/** The result of a change that can never need four eyes (accounts, freezes, runs). */
export function mustApply<T>(committed: Committed<T>): T {
  if (committed.outcome !== "applied") throw new Error("a change that needs no approval was proposed");
  return committed.result;
}
