/**
 * @module The permission table: every action of the API and the roles that may do it. Each route
 * declares its action; the server looks it up here, and a test walks every route with every role.
 */

/**
 * People: viewer < editor < approver, and admin (who may do everything). `worker`: a trading
 * process (its token), which reads its configs with their secret references, subscribes and
 * reports, and does nothing else.
 */
export const ROLES = ["viewer", "editor", "approver", "admin", "worker"] as const;
export type Role = (typeof ROLES)[number];

const everyone: readonly Role[] = ["viewer", "editor", "approver", "admin"];
const everyoneAndWorkers: readonly Role[] = ROLES;
const editors: readonly Role[] = ["editor", "approver", "admin"];
const approvers: readonly Role[] = ["approver", "admin"];
const admins: readonly Role[] = ["admin"];

/**
 * `anyone`: no authentication (health, metrics, login, the API's own document and docs page). `run-token`: the run's own token, given
 * to its worker by the launcher. Otherwise the roles allowed.
 */
export type Permission = readonly Role[] | "anyone" | "run-token";

export const PERMISSIONS = {
  public: "anyone",
  "session.self": everyoneAndWorkers,
  "docs.read": "anyone",
  "configs.read": everyoneAndWorkers,
  /** Seeing the values of secret_ref parameters (viewers see them masked; a worker needs them to trade). */
  "secrets.read": [...editors, "worker"],
  "configs.create": editors,
  "configs.activate": editors,
  "configs.promote": editors,
  "configs.deprecate": editors,
  /** Rolling back is activating the previous version: the same role. */
  "configs.rollback": editors,
  /** The change stream (workers, the console). */
  "stream.subscribe": everyoneAndWorkers,
  /** Staged rollouts: starting one is activating by steps (the same role); pausing and aborting too. */
  "rollouts.read": everyone,
  "rollouts.start": editors,
  "rollouts.control": editors,
  /** Scheduled changes: activating (or rolling out) later is activating: the same role. */
  "schedules.read": everyone,
  "schedules.write": editors,
  /**
   * Heartbeats and sessions: only a worker's own credential says what it runs (and an admin's, for
   * tools). A person's credential cannot forge a report.
   */
  "workers.report": ["worker", "admin"],
  "workers.read": everyone,
  /** Taking a worker out of the view, so another credential may report for its id. */
  "workers.retire": admins,
  "catalog.read": everyoneAndWorkers,
  "catalog.write": admins,
  /** Importing the legacy configuration (a dry run too: it reads every version and the catalog). */
  "imports.write": admins,
  "imports.read": everyone,
  "environments.read": everyoneAndWorkers,
  "environments.write": admins,
  "freezes.write": admins,
  /** Acting in a frozen environment, with a reason. */
  "freezes.override": admins,
  "runs.read": everyone,
  "runs.submit": editors,
  "runs.cancel": editors,
  "runs.progress": "run-token",
  "parameter_sets.read": everyone,
  "change_requests.read": everyone,
  "change_requests.review": approvers,
  "change_requests.break_glass": admins,
  "audit.read": everyone,
  "audit.restore": editors,
  "users.manage": admins,
  "tokens.manage": admins,
} as const satisfies Record<string, Permission>;

export type Action = keyof typeof PERMISSIONS;

export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether any of the roles may do the action (false for `anyone`/`run-token` actions' role check). */
export function rolesAllow(roles: readonly Role[], action: Action): boolean {
  const permission: Permission = PERMISSIONS[action];
  if (permission === "anyone") return true;
  if (permission === "run-token") return false;
  return roles.some((role) => permission.includes(role));
}

/** The roles that may do an action, for messages: "approver or admin". */
export function rolesFor(action: Action): string {
  const permission: Permission = PERMISSIONS[action];
  if (typeof permission === "string") return permission;
  return permission.length === 1
    ? (permission[0] as string)
    : `${permission.slice(0, -1).join(", ")} or ${permission.at(-1)}`;
}
