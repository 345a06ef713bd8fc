/**
 * @module People and service accounts: create and change users, issue and revoke tokens, log in
 * and out, change one's own password. Every change is audited (never with a secret in it).
 */
import type { Role, ServiceToken, User } from "@tradai/core";
import type { Actor } from "../../changes/actor.js";
import { type ChangeRecord, mustApply } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Queryable } from "../../db/database.js";
import { ConflictError, InvalidInputError, NotFoundError, UnauthenticatedError } from "../../http/errors.js";
import type { Environments } from "../environments/environments.js";
import type { Authenticator } from "./authenticator.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import { newSecret, SERVICE_TOKEN_PREFIX, SESSION_PREFIX, secretHash } from "./secrets.js";
import { authStore, toUser } from "./store.js";

export interface AccountsDeps {
  db: Queryable;
  changes: ChangeKernel;
  authenticator: Authenticator;
  environments: Environments;
  sessionHours: number;
  loginTokenDays: number;
}

export function accountsServiceFactory({
  db,
  changes,
  authenticator,
  environments,
  sessionHours,
  loginTokenDays,
}: AccountsDeps) {
  const read = authStore(db);

  /** Accounts are global: a change of them is refused to credentials limited to some environments. */
  const change = async <T>(actor: Actor, what: string, work: (tx: Queryable, record: ChangeRecord) => Promise<T>) =>
    mustApply(await changes.commitChange(actor, { what, acts: "global", work }));

  /** A change that may take rights away: cached credentials on this replica are forgotten at once. */
  const takingRightsAway = async <T>(
    actor: Actor,
    what: string,
    work: (tx: Queryable, record: ChangeRecord) => Promise<T>,
  ): Promise<T> => {
    try {
      return await change(actor, what, work);
    } finally {
      authenticator.forget();
    }
  };

  return {
    /** A session: a cookie for the console (hours), or a bearer token for the CLI (days). */
    async login(username: string, password: string, kind: "cookie" | "token", address: string, requestId: string) {
      const user = await authenticator.login(username, password, address);
      const secret = newSecret(SESSION_PREFIX);
      const hours = kind === "cookie" ? sessionHours : loginTokenDays * 24;
      const actor: Actor = {
        name: username,
        kind: "user",
        roles: [user.role],
        environments: null,
        person: username,
        requestId,
        clientAddress: address,
      };
      const session = await change(actor, `a session of ${username}`, async (tx, record) => {
        const created = await authStore(tx).insertSession({ secretHash: secretHash(secret), username, kind, hours });
        record.audit({
          action: "session.login",
          target_type: "user",
          target_id: username,
          details: { kind },
        });
        return created;
      });
      return {
        secret,
        expires_at: session.expires_at.toISOString(),
        principal: {
          name: user.username,
          kind: "user" as const,
          roles: [user.role],
          environments: null,
          person: user.username,
        },
      };
    },

    async logout(secret: string, actor: Actor): Promise<void> {
      await takingRightsAway(actor, `the logout of ${actor.name}`, async (tx, record) => {
        await authStore(tx).endSession(secretHash(secret));
        record.audit({ action: "session.logout", target_type: "user", target_id: actor.name });
      });
    },

    async changeOwnPassword(actor: Actor, current: string, next: string, keepSession?: string): Promise<void> {
      if (actor.kind !== "user") throw new ConflictError("only people have passwords; this request is not from a user");
      const user = await read.user(actor.name);
      if (!user || !(await verifyPassword(current, user.password_hash))) {
        throw new UnauthenticatedError("the current password is wrong");
      }
      if (current === next)
        throw InvalidInputError.field("body", "new_password", "must differ from the current password");
      const passwordHash = await hashPassword(next);
      await takingRightsAway(actor, `the password change of ${actor.name}`, async (tx, record) => {
        const store = authStore(tx);
        await store.updateUser(actor.name, { passwordHash });
        // Everywhere else this user is logged in must log in again.
        await store.endSessionsOf(actor.name, keepSession && secretHash(keepSession));
        record.audit({ action: "user.password_change", target_type: "user", target_id: actor.name });
      });
    },

    async users(): Promise<User[]> {
      return (await read.users()).map(toUser);
    },

    async createUser(input: { username: string; role: Role; password: string }, actor: Actor): Promise<User> {
      const passwordHash = await hashPassword(input.password);
      return change(actor, `creating user ${input.username}`, async (tx, record) => {
        const row = await authStore(tx).insertUser({ ...input, passwordHash, createdBy: actor.name });
        if (!row) throw new ConflictError(`user "${input.username}" exists`);
        const user = toUser(row);
        record.audit({
          action: "user.create",
          target_type: "user",
          target_id: user.username,
          after: user,
        });
        return user;
      });
    },

    async updateUser(
      username: string,
      change: { role?: Role | undefined; disabled?: boolean | undefined; password?: string | undefined },
      actor: Actor,
    ): Promise<User> {
      if (username === actor.name && (change.disabled === true || (change.role && change.role !== "admin"))) {
        throw new ConflictError("admins cannot disable or demote themselves; ask another admin");
      }
      const passwordHash = change.password ? await hashPassword(change.password) : undefined;
      return takingRightsAway(actor, `changing user ${username}`, async (tx, record) => {
        const store = authStore(tx);
        const before = await store.user(username);
        if (!before) throw new NotFoundError(`unknown user "${username}"`);
        const row = await store.updateUser(username, { role: change.role, disabled: change.disabled, passwordHash });
        if (!row) throw new NotFoundError(`unknown user "${username}"`);
        if (change.disabled || passwordHash || (change.role && change.role !== before.role))
          await store.endSessionsOf(username);
        const user = toUser(row);
        record.audit({
          action: "user.update",
          target_type: "user",
          target_id: username,
          before: toUser(before),
          after: user,
          details: passwordHash ? { password_reset: true } : null,
        });
        return user;
      });
    },

    tokens: (): Promise<ServiceToken[]> => read.tokens(),

    async createToken(
      input: {
        name: string;
        roles: Role[];
        environments?: string[] | undefined;
        expires_in_days: number;
        worker_id?: string | undefined;
      },
      actor: Actor,
    ): Promise<ServiceToken & { token: string }> {
      input.environments?.forEach((env, i) => {
        if (!environments.names.includes(env)) {
          throw InvalidInputError.field("body", `environments[${i}]`, `unknown environment "${env}"`);
        }
      });
      const secret = newSecret(SERVICE_TOKEN_PREFIX);
      return change(actor, `creating token ${input.name}`, async (tx, record) => {
        const token = await authStore(tx).insertToken({
          name: input.name,
          secretHash: secretHash(secret),
          prefix: secret.slice(0, SERVICE_TOKEN_PREFIX.length + 6),
          roles: [...new Set(input.roles)],
          environments: input.environments ? [...new Set(input.environments)] : null,
          days: input.expires_in_days,
          createdBy: actor.name,
          // A token acts for the person who made it (a token made by a token: that token's person).
          person: actor.person,
          workerIdPattern: input.worker_id ?? null,
        });
        if (!token) throw new ConflictError(`a token named "${input.name}" exists; revoked names are not reused`);
        record.audit({
          action: "token.create",
          target_type: "token",
          target_id: token.name,
          after: token,
        });
        return { ...token, token: secret };
      });
    },

    async revokeToken(id: number, actor: Actor): Promise<ServiceToken> {
      return takingRightsAway(actor, `revoking token ${id}`, async (tx, record) => {
        const store = authStore(tx);
        const before = await store.token(id);
        if (!before) throw new NotFoundError(`no token with id ${id}`);
        if (before.revoked_at) return before;
        const after = (await store.revokeToken(id, actor.name)) as ServiceToken;
        record.audit({
          action: "token.revoke",
          target_type: "token",
          target_id: before.name,
          before,
          after,
        });
        return after;
      });
    },
  };
}

export type AccountsService = ReturnType<typeof accountsServiceFactory>;
