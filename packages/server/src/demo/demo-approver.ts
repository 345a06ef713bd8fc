/**
 * @module The demo's second person: `approver`, so one person alone can finish the tour (propose,
 * approve, applied) while critical changes still need someone other than their author.
 */
import { systemActor } from "../changes/actor.js";
import { mustApply } from "../changes/change.js";
import type { ChangeKernel } from "../changes/kernel.js";
import { generatePassword, hashPassword } from "../features/auth/passwords.js";
import { authStore, toUser } from "../features/auth/store.js";

export const DEMO_APPROVER = "approver";

/** @returns the approver's generated password, or undefined when the user exists already */
export async function createDemoApprover(changes: ChangeKernel): Promise<string | undefined> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const created = mustApply(
    await changes.commitChange(systemActor("demo-data"), {
      what: "creating the demo approver",
      acts: "global",
      async work(tx, record) {
        const row = await authStore(tx).insertUser({
          username: DEMO_APPROVER,
          passwordHash,
          role: "approver",
          createdBy: "demo-data",
        });
        if (!row) return false;
        record.audit({ action: "user.create", target_type: "user", target_id: DEMO_APPROVER, after: toUser(row) });
        return true;
      },
    }),
  );
  return created ? password : undefined;
}
