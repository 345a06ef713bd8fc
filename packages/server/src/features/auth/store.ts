/** @module SQL of users, sessions and service tokens. */
import type { Role, ServiceToken, User } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { announceAuthChange } from "./principal-cache.js";

export interface UserRow {
  username: string;
  password_hash: string;
  role: Role;
  disabled: boolean;
  created_by: string;
  created_at: Date;
  password_changed_at: Date;
}

interface TokenRow
  extends Omit<ServiceToken, "expires_at" | "created_at" | "revoked_at" | "last_used_at" | "id" | "worker_id"> {
  id: string | number;
  worker_id_pattern: string | null;
  expires_at: Date;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toUser = (row: UserRow): User => ({
  username: row.username,
  role: row.role,
  disabled: row.disabled,
  created_by: row.created_by,
  created_at: row.created_at.toISOString(),
  password_changed_at: row.password_changed_at.toISOString(),
});

export const toToken = (row: TokenRow): ServiceToken => ({
  id: Number(row.id),
  name: row.name,
  prefix: row.prefix,
  roles: row.roles,
  environments: row.environments,
  expires_at: row.expires_at.toISOString(),
  created_by: row.created_by,
  person: row.person,
  created_at: row.created_at.toISOString(),
  revoked_at: iso(row.revoked_at),
  revoked_by: row.revoked_by,
  last_used_at: iso(row.last_used_at),
  worker_id: row.worker_id_pattern ?? null,
});

export function authStore(db: Queryable) {
  return {
    async user(username: string): Promise<UserRow | undefined> {
      return (await db.query<UserRow>("SELECT * FROM users WHERE username = $1", [username])).rows[0];
    },
    async users(): Promise<UserRow[]> {
      return (await db.query<UserRow>("SELECT * FROM users ORDER BY username")).rows;
    },
    async countUsers(): Promise<number> {
      return Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM users")).rows[0]?.n ?? 0);
    },
    async insertUser(u: { username: string; passwordHash: string; role: Role; createdBy: string }): Promise<UserRow> {
      const rows = await db.query<UserRow>(
        `INSERT INTO users (username, password_hash, role, created_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (username) DO NOTHING RETURNING *`,
        [u.username, u.passwordHash, u.role, u.createdBy],
      );
      return rows.rows[0] as UserRow;
    },
    async updateUser(
      username: string,
      change: { role?: Role | undefined; disabled?: boolean | undefined; passwordHash?: string | undefined },
    ): Promise<UserRow | undefined> {
      const rows = await db.query<UserRow>(
        `UPDATE users SET role = COALESCE($2, role), disabled = COALESCE($3, disabled),
           password_hash = COALESCE($4, password_hash),
           password_changed_at = CASE WHEN $4::text IS NULL THEN password_changed_at ELSE clock_timestamp() END
         WHERE username = $1 RETURNING *`,
        [username, change.role ?? null, change.disabled ?? null, change.passwordHash ?? null],
      );
      await announceAuthChange(db);
      return rows.rows[0];
    },
    /** Ends a user's sessions (password change, disabling). */
    async endSessionsOf(username: string, except?: string): Promise<void> {
      await db.query(
        "UPDATE sessions SET ended_at = clock_timestamp() WHERE username = $1 AND ended_at IS NULL AND secret_hash IS DISTINCT FROM $2",
        [username, except ?? null],
      );
      await announceAuthChange(db);
    },

    async insertSession(s: { secretHash: string; username: string; kind: "cookie" | "token"; hours: number }) {
      const rows = await db.query<{ expires_at: Date }>(
        `INSERT INTO sessions (secret_hash, username, kind, expires_at)
         VALUES ($1, $2, $3, clock_timestamp() + make_interval(hours => $4)) RETURNING expires_at`,
        [s.secretHash, s.username, s.kind, s.hours],
      );
      return rows.rows[0] as { expires_at: Date };
    },
    /** The live session's user, when the session and the user are both still valid. */
    async sessionUser(secretHash: string): Promise<(UserRow & { session_expires_at: Date }) | undefined> {
      const rows = await db.query<UserRow & { session_expires_at: Date }>(
        `SELECT u.*, s.expires_at AS session_expires_at FROM sessions s JOIN users u USING (username)
         WHERE s.secret_hash = $1 AND s.ended_at IS NULL AND s.expires_at > now() AND NOT u.disabled`,
        [secretHash],
      );
      return rows.rows[0];
    },
    async endSession(secretHash: string): Promise<void> {
      await db.query("UPDATE sessions SET ended_at = clock_timestamp() WHERE secret_hash = $1 AND ended_at IS NULL", [
        secretHash,
      ]);
      await announceAuthChange(db);
    },

    async tokens(): Promise<ServiceToken[]> {
      return (await db.query<TokenRow>("SELECT * FROM service_tokens ORDER BY id")).rows.map(toToken);
    },
    async token(id: number): Promise<ServiceToken | undefined> {
      const row = (await db.query<TokenRow>("SELECT * FROM service_tokens WHERE id = $1", [id])).rows[0];
      return row && toToken(row);
    },
    /**
     * A live (not revoked, not expired) token by its secret's hash. `last_used_at` is refreshed at
     * most once a minute, so a busy worker's requests stay reads.
     */
    async liveToken(secretHash: string): Promise<ServiceToken | undefined> {
      const { rows } = await db.query<TokenRow & { touch: boolean }>(
        `SELECT *, (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') AS touch FROM service_tokens
         WHERE secret_hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
        [secretHash],
      );
      const row = rows[0];
      if (!row) return undefined;
      if (row.touch) {
        await db.query("UPDATE service_tokens SET last_used_at = clock_timestamp() WHERE id = $1", [row.id]);
      }
      return toToken(row);
    },
    async insertToken(t: {
      name: string;
      secretHash: string;
      prefix: string;
      roles: Role[];
      environments: string[] | null;
      days: number;
      createdBy: string;
      person: string | null;
      workerIdPattern: string | null;
    }): Promise<ServiceToken | undefined> {
      const rows = await db.query<TokenRow>(
        `INSERT INTO service_tokens (name, secret_hash, prefix, roles, environments, expires_at, created_by, person,
           worker_id_pattern)
         VALUES ($1, $2, $3, $4, $5, clock_timestamp() + make_interval(days => $6), $7, $8, $9)
         ON CONFLICT (name) DO NOTHING RETURNING *`,
        [t.name, t.secretHash, t.prefix, t.roles, t.environments, t.days, t.createdBy, t.person, t.workerIdPattern],
      );
      return rows.rows[0] && toToken(rows.rows[0]);
    },
    async revokeToken(id: number, by: string): Promise<ServiceToken | undefined> {
      const rows = await db.query<TokenRow>(
        `UPDATE service_tokens SET revoked_at = clock_timestamp(), revoked_by = $2
         WHERE id = $1 AND revoked_at IS NULL RETURNING *`,
        [id, by],
      );
      await announceAuthChange(db);
      return rows.rows[0] && toToken(rows.rows[0]);
    },
  };
}
