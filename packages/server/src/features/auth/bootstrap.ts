/**
 * @module The first admin: on a database without users, `admin` is created with
 * TRADAI_ADMIN_PASSWORD, or a generated password that is returned to be printed once.
 */
import { systemActor } from "../../changes/actor.js";
import { mustApply } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Queryable } from "../../db/database.js";
import { generatePassword, hashPassword } from "./passwords.js";
import { authStore, toUser } from "./store.js";

/** @returns the generated password, when one was generated */
export async function ensureFirstAdmin(
  db: Queryable,
  changes: ChangeKernel,
  configured: string | undefined,
): Promise<string | undefined> {
  if ((await authStore(db).countUsers()) > 0) return undefined;
  const password = configured ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const created = mustApply(
    await changes.commitChange(systemActor(), {
      what: "creating the first admin",
      acts: "global",
      async work(tx, record) {
        // Another replica starting at the same moment may have won; then there is nothing to do.
        await tx.query("SELECT pg_advisory_xact_lock(hashtext('tradai:first-admin'))");
        if ((await authStore(tx).countUsers()) > 0) return false;
        const row = await authStore(tx).insertUser({
          username: "admin",
          passwordHash,
          role: "admin",
          createdBy: "system",
        });
        record.audit({ action: "user.create", target_type: "user", target_id: "admin", after: toUser(row) });
        return true;
      },
    }),
  );
  return created && configured === undefined ? password : undefined;
}
