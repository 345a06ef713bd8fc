/** @module The `tradai` command: its sub-commands, global options and exit codes. */
import { ApiProblemError, ApiUnreachableError } from "@tradai/client";
import { Command, CommanderError, Option } from "commander";
import { tokenCommand, userCommand } from "./commands/accounts.js";
import { auditCommand } from "./commands/audit.js";
import { backtestCommand } from "./commands/backtest.js";
import { catalogCommand } from "./commands/catalog.js";
import { changeRequestCommand } from "./commands/change-requests.js";
import { configCommand } from "./commands/config.js";
import { docsCommand } from "./commands/docs.js";
import { envCommand } from "./commands/env.js";
import { importCommand } from "./commands/import.js";
import { launcherCommand } from "./commands/launcher.js";
import { parameterSetsCommand } from "./commands/parameter-sets.js";
import { runsCommand } from "./commands/runs.js";
import { serveCommand } from "./commands/serve.js";
import { loginCommand, logoutCommand, passwordCommand, whoamiCommand } from "./commands/session.js";
import { workerCommand } from "./commands/worker.js";
import { UsageError } from "./usage-error.js";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export function buildProgram(): Command {
  const program = new Command("tradai")
    .description("TradAI configuration platform")
    .addOption(new Option("--url <url>", "server URL").env("TRADAI_URL").default("http://localhost:8000"))
    .addOption(
      new Option("--token <token>", "bearer token (service account, or from tradai login)").env("TRADAI_TOKEN"),
    )
    .addOption(
      new Option(
        "--user <name>",
        "act as this user: the password comes from TRADAI_PASSWORD, else this user's token from tradai login",
      ).env("TRADAI_USER"),
    )
    .option("--json", "machine-readable JSON output")
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(loginCommand());
  program.addCommand(logoutCommand());
  program.addCommand(whoamiCommand());
  program.addCommand(passwordCommand());
  program.addCommand(configCommand());
  program.addCommand(changeRequestCommand());
  program.addCommand(auditCommand());
  program.addCommand(catalogCommand());
  program.addCommand(importCommand());
  program.addCommand(backtestCommand());
  program.addCommand(runsCommand());
  program.addCommand(parameterSetsCommand());
  program.addCommand(envCommand());
  program.addCommand(docsCommand());
  program.addCommand(serveCommand());
  program.addCommand(launcherCommand());
  program.addCommand(userCommand());
  program.addCommand(tokenCommand());
  program.addCommand(workerCommand());
  // Sub-commands inherit the exit override, so usage errors anywhere reach `run`.
  const overrideAll = (command: Command): void => {
    command.exitOverride();
    for (const sub of command.commands) overrideAll(sub);
  };
  overrideAll(program);
  return program;
}

function printProblem(error: ApiProblemError, commandName: string | undefined): void {
  const { problem } = error;
  const lines = [`Error: ${problem.title} (HTTP ${problem.status}): ${problem.detail}`];
  for (const e of problem.errors ?? []) lines.push(`  - ${e.field} (${e.location}): ${e.message}`);
  if (problem.request_id) lines.push(`  request id: ${problem.request_id}`);
  if (problem.status === 401 && commandName !== "login")
    lines.push("  (log in with: tradai --user <name> login; or give --token, or --user with TRADAI_PASSWORD)");
  process.stderr.write(`${lines.join("\n")}\n`);
}

/** Runs the CLI; resolves to the exit code: 0 ok, 1 the server reported an error, 2 usage error. */
/** The seed's `-cv` is not a one-letter flag, which commander cannot express: spell it out. */
const normalise = (argv: string[]) => argv.map((arg) => (arg === "-cv" ? "--config-version" : arg));

export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  let commandName: string | undefined;
  program.hook("preAction", (_program, actionCommand) => {
    commandName = actionCommand.name();
  });
  try {
    await program.parseAsync(normalise(argv));
    if (typeof process.exitCode === "number" && process.exitCode !== 0) return process.exitCode;
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT_OK;
      if (error.code === "commander.help") return EXIT_OK;
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`Error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ApiProblemError) {
      printProblem(error, commandName);
      return EXIT_FAILED;
    }
    if (error instanceof ApiUnreachableError) {
      process.stderr.write(`Error: ${error.message}\n`);
      return EXIT_FAILED;
    }
    throw error;
  }
}
