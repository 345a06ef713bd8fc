/**
 * @module `tradai admin`: what an operator does on the platform's own database, on the machine
 * that runs it, while the server is stopped: today, resetting a lost password.
 */
import { password as passwordSchema } from "@tradai/core";
import { Command } from "commander";
import { readSecret } from "../auth/read-secret.js";
import { print } from "../context.js";
import { EXIT_FAILED } from "../exit-codes.js";
import { UsageError } from "../usage-error.js";
import { loadServer, settingsOrExit } from "./settings-or-exit.js";

const RESET_HELP = `
Works on the database the server is configured with (TRADAI_DATA_DIR for the embedded one,
TRADAI_DATABASE_URL for PostgreSQL), not through the API: use it when nobody can log in. Stop
the server first (the embedded database admits one process). The user's sessions and login tokens
end, and the audit trail records the reset (user.update, password_reset, by operator:<you>@<host>).

The new password comes from TRADAI_NEW_PASSWORD, else from the first line of stdin when stdin is
not a terminal, else from a prompt (twice, without echo). At least 12 characters.`;

export function adminCommand(): Command {
  const admin = new Command("admin").description("operator commands on the platform's database (server stopped)");
  admin
    .command("reset-password")
    .description("set a user's password directly in the database, recorded in the audit trail")
    .argument("<USERNAME>")
    .option("--enable", "also enable the account if it was disabled")
    .addHelpText("after", RESET_HELP)
    .action(async (username: string, opts: { enable?: boolean }, command: Command) => {
      const settings = await settingsOrExit("admin reset-password");
      const { resetPasswordOffline } = await loadServer();
      const password = await readSecret({
        what: `new password for ${username}`,
        envVar: "TRADAI_NEW_PASSWORD",
        confirm: true,
      });
      const checked = passwordSchema.safeParse(password);
      if (!checked.success) throw new UsageError(`the new password ${checked.error.issues[0]?.message}`);
      let result: Awaited<ReturnType<typeof resetPasswordOffline>>;
      try {
        result = await resetPasswordOffline(settings, username, password, { enable: opts.enable === true });
      } catch (error) {
        const message = (error as Error).message;
        // PGlite holds its data directory for one process: the running server.
        const hint =
          /lock|in use|busy/i.test(message) && !/stop/.test(message)
            ? " (is the server still running? stop it first)"
            : "";
        process.stderr.write(`Error: cannot reset the password of ${username}: ${message}${hint}\n`);
        process.exitCode = EXIT_FAILED;
        return;
      }
      print(command, result.user, () =>
        [
          `Password of ${result.user.username} reset (recorded in the audit trail as ${result.actor});`,
          `its sessions ended.${result.user.disabled ? " The account is disabled: add --enable to enable it." : ""}`,
        ].join(" "),
      );
    });
  return admin;
}
