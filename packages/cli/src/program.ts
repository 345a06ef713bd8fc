/** @module The `tradai` command: its sub-commands, global options and exit codes. */
import { ApiProblemError, ApiUnreachableError } from "@tradai/client";
import { Command, CommanderError, Option } from "commander";
import { tokenCommand, userCommand } from "./commands/accounts.js";
import { adminCommand } from "./commands/admin.js";
import { auditCommand } from "./commands/audit.js";
import { backtestCommand } from "./commands/backtest.js";
import { catalogCommand } from "./commands/catalog.js";
import { changeRequestCommand } from "./commands/change-requests.js";
import { completionCommand } from "./commands/completion.js";
import { configCommand } from "./commands/config.js";
import { docsCommand } from "./commands/docs.js";
import { envCommand } from "./commands/env.js";
import { importCommand } from "./commands/import.js";
import { launcherCommand } from "./commands/launcher.js";
import { parameterSetsCommand } from "./commands/parameter-sets.js";
import { rolloutCommand } from "./commands/rollout.js";
import { runsCommand } from "./commands/runs.js";
import { scheduleCommand } from "./commands/schedule.js";
import { serveCommand } from "./commands/serve.js";
import { loginCommand, logoutCommand, passwordCommand, whoamiCommand } from "./commands/session.js";
import { strategiesCommand } from "./commands/strategies.js";
import { workerCommand } from "./commands/worker.js";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, exitCodeHelp } from "./exit-codes.js";
import { cliProblemJson, problemJson } from "./output/error-json.js";
import { problemLines } from "./output/problem.js";
import { UsageError } from "./usage-error.js";
import { CLI_VERSION } from "./version.js";

export { EXIT_FAILED, EXIT_NOT_APPLIED, EXIT_OK, EXIT_PROPOSED, EXIT_USAGE } from "./exit-codes.js";

export function buildProgram(): Command {
  const program = new Command("tradai")
    .description("TradAI configuration platform")
    .version(`tradai ${CLI_VERSION}`, "-V, --version", "print the CLI's version")
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
    .addHelpText("after", exitCodeHelp())
    .exitOverride();
  program.addCommand(loginCommand());
  program.addCommand(logoutCommand());
  program.addCommand(whoamiCommand());
  program.addCommand(passwordCommand());
  program.addCommand(strategiesCommand());
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
  program.addCommand(adminCommand());
  program.addCommand(workerCommand());
  program.addCommand(rolloutCommand());
  program.addCommand(scheduleCommand());
  program.addCommand(completionCommand());
  // Sub-commands inherit the exit override, so usage errors anywhere reach `run`.
  const overrideAll = (command: Command): void => {
    command.exitOverride();
    for (const sub of command.commands) overrideAll(sub);
  };
  overrideAll(program);
  return program;
}

/** The problem on stderr, naming the options of `command` (the one that ran) where the API names their fields. */
function printProblem(error: ApiProblemError, command: Command | undefined): void {
  const { problem } = error;
  const lines = problemLines(problem, command);
  if (problem.status === 401 && command?.name() !== "login")
    lines.push("  (log in with: tradai --user <name> login; or give --token, or --user with TRADAI_PASSWORD)");
  process.stderr.write(`${lines.join("\n")}\n`);
}

/** The seed's `-cv` is not a one-letter flag, which commander cannot express: spell it out. */
const normalise = (argv: string[]) => argv.map((arg) => (arg === "-cv" ? "--config-version" : arg));

/** Runs the CLI; resolves to its exit code (exit-codes.ts). */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  // With --json, errors are JSON on stderr too: commander's own plain-text messages are held back.
  const json = argv.includes("--json");
  if (json) {
    const quiet = (command: Command): void => {
      command.configureOutput({ writeErr: () => {}, outputError: () => {} });
      for (const sub of command.commands) quiet(sub);
    };
    quiet(program);
  }
  let action: Command | undefined;
  program.hook("preAction", (_program, actionCommand) => {
    action = actionCommand;
  });
  const fail = (plain: string, asJson: () => string, code: number) => {
    process.stderr.write(`${json ? asJson() : plain}\n`);
    return code;
  };
  try {
    await program.parseAsync(normalise(argv));
    if (typeof process.exitCode === "number" && process.exitCode !== 0) return process.exitCode;
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT_OK;
      if (error.code === "commander.help") return EXIT_OK;
      // Without --json commander has printed its message already.
      if (json) fail("", () => cliProblemJson("usage", error.message.replace(/^error: /, ""), EXIT_USAGE), 0);
      return EXIT_USAGE;
    }
    if (error instanceof UsageError)
      return fail(`Error: ${error.message}`, () => cliProblemJson("usage", error.message, EXIT_USAGE), EXIT_USAGE);
    if (error instanceof ApiProblemError) {
      if (json) return fail("", () => problemJson(error.problem, action), EXIT_FAILED);
      printProblem(error, action);
      return EXIT_FAILED;
    }
    if (error instanceof ApiUnreachableError)
      return fail(
        `Error: ${error.message}`,
        () => cliProblemJson("unreachable", error.message, EXIT_FAILED),
        EXIT_FAILED,
      );
    throw error;
  }
}
