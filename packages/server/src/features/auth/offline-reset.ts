/**
 * @module `tradai admin reset-password`: a lost admin password mended on the database itself while
 * the server is stopped (the embedded database admits one process). It is a governed change like
 * any other: the audit trail records who reset whose password, from which machine.
 */
import { hostname, userInfo } from "node:os";
import type { User } from "@tradai/core";
import { type Actor, systemActor } from "../../changes/actor.js";
import { mustApply } from "../../changes/change.js";
import { changeKernel } from "../../changes/kernel.js";
import { guardWrites } from "../../changes/write-guard.js";
import { migrate } from "../../db/migrate.js";
import { NotFoundError } from "../../http/errors.js";
import { kernelSources } from "../../kernel-sources.js";
import { openDatabase } from "../../platform.js";
import type { Settings } from "../../settings.js";
import { hashPassword } from "./passwords.js";
import { authStore, toUser } from "./store.js";

/** Whoever ran the command on this machine: no person the platform knows, so it never approves anything. */
function operatorActor(): Actor {
  let who = "unknown";
  try {
    who = userInfo().username;
  } catch {}
  return systemActor(`operator:${who}@${hostname()}`);
}

export async function resetPasswordOffline(
  settings: Settings,
  username: string,
  password: string,
  options: { enable?: boolean } = {},
): Promise<{ user: User; actor: string }> {
  const raw = await openDatabase(settings);
  try {
    await migrate(raw, undefined, settings.databaseTimeouts.migrationSeconds * 1000);
    const db = guardWrites(raw);
    const changes = changeKernel({
      db,
      sources: kernelSources(),
      changeRequestTtlHours: settings.changeRequestTtlHours,
    });
    const actor = operatorActor();
    const passwordHash = await hashPassword(password);
    const user = mustApply(
      await changes.commitChange(actor, {
        what: `resetting the password of ${username}`,
        acts: "global",
        async work(tx, record) {
          const store = authStore(tx);
          const before = await store.user(username);
          if (!before) {
            const known = (await store.users()).map((u) => u.username).join(", ");
            throw new NotFoundError(`unknown user "${username}" (users: ${known || "none"})`);
          }
          const row = await store.updateUser(username, {
            passwordHash,
            ...(options.enable ? { disabled: false } : {}),
          });
          if (!row) throw new NotFoundError(`unknown user "${username}"`);
          // Whoever holds a session of this user now must log in again.
          await store.endSessionsOf(username);
          const after = toUser(row);
          record.audit({
            action: "user.update",
            target_type: "user",
            target_id: username,
            before: toUser(before),
            after,
            details: { password_reset: true, offline: true },
          });
          return after;
        },
      }),
    );
    return { user, actor: actor.name };
  } finally {
    await raw.close();
  }
}
