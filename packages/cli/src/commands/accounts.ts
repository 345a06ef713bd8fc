/** @module `tradai user list|create|set` and `tradai token list|create|revoke` (admin only). */
import { isRole, ROLES, type Role } from "@tradai/core";
import { type Command, InvalidArgumentError, Option } from "commander";
import { readSecret } from "../auth/read-secret.js";
import { apiFor, print } from "../context.js";
import { CommandGroup } from "../help/command-group.js";
import { positiveInteger } from "../input/integers.js";
import { tokenCreated, tokenSummary, tokenTable, userSummary, userTable } from "../output/accounts.js";
import { UsageError } from "../usage-error.js";

const NEW_PASSWORD_SOURCES = `
The new password comes from TRADAI_NEW_PASSWORD, else from the first line of stdin when stdin is
not a terminal, else from a prompt (twice, without echo). At least 12 characters.`;

const roleOption = (description: string) => new Option("--role <role>", description).choices(ROLES);

/** For commander: `--role editor --role approver` or `--role editor,approver`. */
function collectRoles(value: string, previous: Role[] = []): Role[] {
  const roles = value.split(",").map((r) => r.trim());
  for (const role of roles) {
    if (!isRole(role)) throw new InvalidArgumentError(`"${role}" is not a role; one of ${ROLES.join(", ")}.`);
  }
  return [...previous, ...(roles as Role[])];
}

const collectList = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean),
];

export function userCommand(): Command {
  const user = new CommandGroup("user", "user accounts (admin only)");

  user
    .command("list")
    .description("every user account")
    .action(async (_opts, command: Command) => {
      const users = await apiFor(command).listUsers();
      print(command, users, () => userTable(users.items));
    });

  user
    .command("create")
    .description("create a user account with a role")
    .argument("<USERNAME>", "lower-case letters, digits, '.', '_' or '-', starting with a letter")
    .addOption(roleOption("viewer < editor < approver, or admin").makeOptionMandatory())
    .addHelpText("after", NEW_PASSWORD_SOURCES)
    .action(async (username: string, opts, command: Command) => {
      const password = await readSecret({
        what: `password for ${username}`,
        envVar: "TRADAI_NEW_PASSWORD",
        confirm: true,
      });
      const created = await apiFor(command).createUser(username, opts.role as Role, password);
      print(command, created, () => userSummary("Created", created));
    });

  user
    .command("set")
    .description("change a user's role, disable or enable the account, or reset its password")
    .argument("<USERNAME>")
    .addOption(roleOption("the new role"))
    .addOption(new Option("--disable", "disable the account (its sessions end)").conflicts("enable"))
    .option("--enable", "enable the account again")
    .option("--reset-password", "set a new password (see below where it comes from)")
    .addHelpText("after", NEW_PASSWORD_SOURCES)
    .action(async (username: string, opts, command: Command) => {
      const change: { role?: Role; disabled?: boolean; password?: string } = {};
      if (opts.role) change.role = opts.role as Role;
      if (opts.disable) change.disabled = true;
      if (opts.enable) change.disabled = false;
      if (opts.resetPassword) {
        change.password = await readSecret({
          what: `new password for ${username}`,
          envVar: "TRADAI_NEW_PASSWORD",
          confirm: true,
        });
      }
      if (Object.keys(change).length === 0) {
        throw new UsageError("nothing to change: give --role, --disable, --enable or --reset-password");
      }
      const updated = await apiFor(command).updateUser(username, change);
      print(command, updated, () => userSummary("Updated", updated));
    });

  return user;
}

export function tokenCommand(): Command {
  const token = new CommandGroup("token", "service tokens for CI and workers (admin only)");

  token
    .command("list")
    .description("every service token (never its secret)")
    .action(async (_opts, command: Command) => {
      const tokens = await apiFor(command).listTokens();
      print(command, tokens, () => tokenTable(tokens.items));
    });

  token
    .command("create")
    .description("create a service token; its secret is printed once, now")
    .argument("<NAME>", "what uses it, e.g. ci-deployer")
    .requiredOption(
      "--role <role>",
      `its role(s), repeatable or comma-separated: ${ROLES.join(", ")} (required)`,
      collectRoles,
    )
    .option(
      "--env <environment>",
      "limit it to these environments (repeatable or comma-separated; default: all)",
      collectList,
    )
    .option("--expires-in-days <n>", "valid for this many days (1-3650; default 90)", positiveInteger)
    .option(
      "--worker-id <pattern>",
      "bind it to these worker ids: it may report only for them, e.g. 'live-*' (* matches anything)",
    )
    .action(async (name: string, opts, command: Command) => {
      const created = await apiFor(command).createToken({
        name,
        roles: opts.role as Role[],
        ...(opts.env ? { environments: opts.env as string[] } : {}),
        ...(opts.expiresInDays !== undefined ? { expires_in_days: opts.expiresInDays as number } : {}),
        ...(opts.workerId !== undefined ? { worker_id: opts.workerId as string } : {}),
      });
      print(command, created, () => tokenCreated(created));
    });

  token
    .command("revoke")
    .description("revoke a service token at once")
    .argument("<ID>", "the token's id (tradai token list)", positiveInteger)
    .action(async (id: number, _opts, command: Command) => {
      const revoked = await apiFor(command).revokeToken(id);
      print(command, revoked, () => tokenSummary("Revoked", revoked));
    });

  return token;
}
