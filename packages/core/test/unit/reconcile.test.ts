import { describe, expect, it } from "vitest";
import { envKey, envValue, reconcileSources } from "../../src/index.js";

describe("reconciling the legacy sources of a value (the #673 class of incident, reported before cut-over)", () => {
  const db = { stoploss: -0.05, mode: "swing", risk: { max_open: 3 }, same: 1 };
  const file = { stoploss: -0.08, mode: "swing", risk: { max_open: 3 }, same: 1, only_file: true };
  const env = { mode: "scalp", "risk.max_open": 5 };

  it("lists each key where they disagree with what each holds and what the old rules served (env, else db, else file)", () => {
    const { disagreements, values } = reconcileSources({ db, file, env });
    expect(disagreements).toEqual([
      {
        key: "mode",
        db: "swing",
        file: "swing",
        env: "scalp",
        served_by_old_rules: "env",
        chosen: "env",
        value: "scalp",
      },
      { key: "only_file", file: true, served_by_old_rules: "file", chosen: "file", value: true },
      { key: "risk.max_open", db: 3, file: 3, env: 5, served_by_old_rules: "env", chosen: "env", value: 5 },
      { key: "stoploss", db: -0.05, file: -0.08, served_by_old_rules: "db", chosen: "db", value: -0.05 },
    ]);
    // By default the import keeps what the workers ran: the old rules' value.
    expect(values).toEqual({ stoploss: -0.05, mode: "scalp", risk: { max_open: 5 }, same: 1, only_file: true });
  });

  it("takes the operator's rule, and per-key choices before it; a source without the key leaves it out", () => {
    const { disagreements, values } = reconcileSources({
      db,
      file,
      env,
      prefer: "db",
      choices: { stoploss: "file", only_file: "db" },
    });
    expect(disagreements.map((d) => [d.key, d.chosen])).toEqual([
      ["mode", "db"],
      ["only_file", "db"],
      ["risk.max_open", "db"],
      ["stoploss", "file"],
    ]);
    expect(values).toEqual({ stoploss: -0.08, mode: "swing", risk: { max_open: 3 }, same: 1 });
  });

  it("reads pod variables as config keys and values", () => {
    expect(envKey("FTF_RISK__MAX_OPEN", "FTF_")).toBe("risk.max_open");
    expect(envKey("HOME", "FTF_")).toBeUndefined();
    expect([envValue("-0.05"), envValue("true"), envValue("[1,2]"), envValue("swing")]).toEqual([
      -0.05,
      true,
      [1, 2],
      "swing",
    ]);
  });
});
