/**
 * @module Change requests as the kernel writes them: a change that needs four eyes is stored with
 * the command that carries it out again and the hash of its effect; approvals are counted in
 * people; a request closes once, as applied, rejected, stale or expired.
 */
import type { ChangeEffect, ChangeRequestStatus } from "@tradai/core";
import type { Queryable } from "../db/database.js";
import type { Actor } from "./actor.js";
import type { Proposal } from "./change.js";

export interface NewProposal extends Proposal {
  effect: ChangeEffect;
  effect_hash: string;
  environments: string[];
  reasons: string[];
  approvals_required: number;
  ttlHours: number;
}

/** A pending, unexpired request with exactly this effect (the same change proposed again). */
export async function findPendingProposal(
  q: Queryable,
  effectHash: string,
  command: string,
): Promise<number | undefined> {
  const { rows } = await q.query<{ id: string | number }>(
    `SELECT id FROM change_requests WHERE effect_hash = $1 AND command ->> 'name' = $2
       AND status = 'pending' AND expires_at > now() ORDER BY id DESC LIMIT 1`,
    [effectHash, command],
  );
  return rows[0] ? Number(rows[0].id) : undefined;
}

/** The effect as stored with the request: resolved hashes and diffs, no full values. */
const storedEffect = (effect: ChangeEffect) => ({
  resolved: effect.resolved,
  governance: effect.governance,
  weakenings: effect.weakenings,
});

export async function insertProposal(q: Queryable, author: Actor, p: NewProposal): Promise<number> {
  const a = p.activation;
  const { rows } = await q.query<{ id: string | number }>(
    `INSERT INTO change_requests (kind, strategy_name, environment, environments, from_environment, config_version_id,
       config_id, config_hash, catalog_revision, base_config_id, diff, reasons, approvals_required, author,
       author_person, summary, command, effect, effect_hash, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15, $16, $17::jsonb, $18::jsonb, $19,
       clock_timestamp() + make_interval(hours => $20))
     RETURNING id`,
    [
      p.kind,
      a?.strategy ?? null,
      p.environment,
      p.environments,
      a?.from_environment ?? null,
      a?.config_version_id ?? null,
      a?.config_id ?? null,
      a?.config_hash ?? null,
      a?.catalog_revision ?? null,
      a?.base_config_id ?? null,
      JSON.stringify(p.diff),
      p.reasons,
      p.approvals_required,
      author.name,
      author.person,
      p.summary,
      JSON.stringify(p.command),
      JSON.stringify(storedEffect(p.effect)),
      p.effect_hash,
      p.ttlHours,
    ],
  );
  return Number(rows[0]?.id);
}

export async function closeChangeRequest(
  q: Queryable,
  id: number,
  status: Exclude<ChangeRequestStatus, "pending">,
  by: string,
  breakGlassReason?: string,
): Promise<void> {
  await q.query(
    `UPDATE change_requests SET status = $2, closed_at = clock_timestamp(), closed_by = $3, break_glass_reason = $4
     WHERE id = $1`,
    [id, status, by, breakGlassReason ?? null],
  );
}

/** The distinct people who approved the request (never its author). */
export async function approvingPeople(q: Queryable, id: number): Promise<string[]> {
  const { rows } = await q.query<{ person: string }>(
    `SELECT DISTINCT r.reviewer_person AS person FROM change_request_reviews r JOIN change_requests cr ON cr.id = r.change_request_id
     WHERE r.change_request_id = $1 AND r.decision = 'approve' AND r.reviewer_person IS NOT NULL
       AND r.reviewer_person IS DISTINCT FROM cr.author_person ORDER BY 1`,
    [id],
  );
  return rows.map((r) => r.person);
}
