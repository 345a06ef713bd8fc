/**
 * @module The audit trail's actions: a closed list, so an entry's action is always one a reader
 * (the console, the CLI, a compliance query) knows. `<target>.<verb>`.
 */

export const AUDIT_ACTIONS = [
  "config.create",
  "config.deprecate",
  "config.purge",
  "config.activate",
  "config.promote",
  "change_request.create",
  "change_request.approve",
  "change_request.reject",
  "change_request.break_glass",
  "change_request.stale",
  "change_request.expire",
  "catalog.change",
  "environment.set_base",
  "environment.update_policy",
  "freeze.create",
  "freeze.remove",
  "session.login",
  "session.logout",
  "user.create",
  "user.update",
  "user.password_change",
  "token.create",
  "token.revoke",
  "run.submit",
  "run.rerun",
  "run.cancel",
  "worker.retire",
  "import.apply",
  "import.undo",
  "legacy_mirror.set",
  "rollout.start",
  "rollout.step",
  "rollout.pause",
  "rollout.resume",
  "rollout.complete",
  "rollout.rollback",
  "rollout.abort",
  "schedule.create",
  "schedule.cancel",
  "schedule.execute",
  "schedule.refuse",
  "schedule.outcome",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const isAuditAction = (value: string): value is AuditAction =>
  (AUDIT_ACTIONS as readonly string[]).includes(value);
