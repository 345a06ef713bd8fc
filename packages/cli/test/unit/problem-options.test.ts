/** Errors in the CLI's words: the API fields of a problem+json mapped to the running command's options. */
import type { Problem } from "@tradai/core";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { optionForField, problemLines } from "../../src/output/problem.js";
import { buildProgram } from "../../src/program.js";

/** The command at `path` in the tree buildProgram() builds, e.g. ["config", "activate"]. */
function command(...path: string[]): Command {
  let here = buildProgram();
  for (const name of path) {
    const next = here.commands.find((c) => c.name() === name);
    if (!next) throw new Error(`no command ${path.join(" ")}`);
    here = next;
  }
  return here;
}

describe("optionForField", () => {
  it.each([
    [["config", "activate"], "freeze_override_reason", "--freeze-override"],
    [["config", "activate"], "expected_active", "--expect"],
    [["config", "activate"], "environment", "--env"],
    [["config", "create"], "config_data", "--data/--file"],
    [["config", "create"], "config_data.risk.stoploss", "--data/--file"],
    [["config", "create"], "description", "--description"],
    [["config", "list"], "limit", "--limit"],
    [["env", "freeze", "add"], "starts_at", "--from"],
    [["env", "freeze", "add"], "duration_seconds", "--duration"],
    [["env", "freeze", "add"], "time_zone", "--tz"],
    [["env", "freeze", "add"], "cron", "--cron"],
    [["env", "policy", "set"], "promote_from", "--promote-from"],
    [["env", "policy", "set"], "approvals_required", "--approvals"],
    [["backtest", "quick"], "config.start_date", "--start"],
    [["backtest", "quick"], "config.stake_amount", "--stake"],
    [["backtest", "quick"], "config_version_id", "--config-version"],
  ])("%j: %s is %s", (path, field, option) => {
    expect(optionForField(field, command(...path))).toBe(option);
  });

  it("of --data and --file, the one given on the command line", () => {
    const create = command("config", "create");
    create.setOptionValueWithSource("file", "config.yaml", "cli");
    expect(optionForField("config_data.stoploss", create)).toBe("--file");
  });

  it("fields the command has no option for stay unmapped", () => {
    expect(optionForField("strategy_name", command("config", "create"))).toBeUndefined();
    expect(optionForField("limit", command("config", "activate"))).toBeUndefined();
    expect(optionForField("freeze_override_reason", command("config", "create"))).toBeUndefined();
    expect(optionForField("a", command("runs", "compare"))).toBeUndefined();
    expect(optionForField("config.stoploss", command("backtest", "quick"))).toBeUndefined();
  });
});

describe("problemLines", () => {
  const problem = (over: Partial<Problem>): Problem => ({
    type: "urn:tradai:problem:invalid-input",
    title: "Invalid input",
    status: 422,
    detail: "",
    ...over,
  });

  it("names the option in each error line and in the detail; other fields as they are", () => {
    const lines = problemLines(
      problem({
        detail: "send freeze_override_reason; config_data.stoploss and strategy_name are wrong",
        errors: [
          { field: "config_data.stoploss", location: "body", message: "must be at most -0.001" },
          { field: "strategy_name", location: "body", message: "required" },
          { field: "freeze_override_reason", location: "body", message: "required" },
        ],
      }),
      command("config", "create"),
    );
    // config create has no --freeze-override: that name stays.
    expect(lines).toEqual([
      "Error: Invalid input (HTTP 422): send freeze_override_reason; config_data.stoploss and strategy_name are wrong",
      "  - --data/--file: config_data.stoploss (body): must be at most -0.001",
      "  - strategy_name (body): required",
      "  - freeze_override_reason (body): required",
    ]);

    const frozen = problemLines(
      problem({ status: 423, title: "Locked", detail: "dev is frozen; give a reason (freeze_override_reason)" }),
      command("config", "activate"),
    );
    expect(frozen).toEqual(["Error: Locked (HTTP 423): dev is frozen; give a reason (--freeze-override)"]);
  });

  it("a plain field name in the detail only where a sentence starts with it, as the server words it", () => {
    const list = command("config", "list");
    const query = (field: string, detail: string) =>
      problemLines(problem({ detail, errors: [{ field, location: "query", message: "" }] }), list)[0];
    expect(query("limit", "limit must be a whole number from 1 to 500, got 0")).toBe(
      "Error: Invalid input (HTTP 422): --limit must be a whole number from 1 to 500, got 0",
    );
    expect(query("environment", 'environment: unknown environment "qa"; known: dev, staging, prod')).toBe(
      'Error: Invalid input (HTTP 422): --env: unknown environment "qa"; known: dev, staging, prod',
    );
  });

  it("without a command (nothing ran yet): the problem as the server wrote it", () => {
    const lines = problemLines(
      problem({ detail: "limit too big", errors: [{ field: "limit", location: "query", message: "too big" }] }),
      undefined,
    );
    expect(lines).toEqual(["Error: Invalid input (HTTP 422): limit too big", "  - limit (query): too big"]);
  });
});
