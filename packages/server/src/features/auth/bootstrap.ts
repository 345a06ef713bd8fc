/**
 * @module The first admin: on a database without users, `admin` is created with
 * TRADAI_ADMIN_PASSWORD, or a generated password that is returned to be printed once.
 */
import type { Database } from "../../db/database.js";
import { recordAudit } from "../audit/recorder.js";
import { systemActor } from "./actor.js";
import { generatePassword, hashPassword } from "./passwords.js";
import { authStore, toUser } from "./store.js";

/** @returns the generated password, when one was generated */
export async function ensureFirstAdmin(db: Database, configured: string | undefined): Promise<string | undefined> {
  if ((await authStore(db).countUsers()) > 0) return undefined;
  const password = configured ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const created = await db.transaction(async (tx) => {
    // Another replica starting at the same moment may have won; then there is nothing to do.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('tradai:first-admin'))");
    if ((await authStore(tx).countUsers()) > 0) return false;
    const row = await authStore(tx).insertUser({ username: "admin", passwordHash, role: "admin", createdBy: "system" });
    await recordAudit(tx, systemActor(), {
      action: "user.create",
      target_type: "user",
      target_id: "admin",
      after: toUser(row),
    });
    return true;
  });
  return created && configured === undefined ? password : undefined;
}
