import { describe, expect, it } from "vitest";
import { loadSettings, SettingsError } from "../../src/settings.js";

function problemsOf(env: Record<string, string>) {
  try {
    loadSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  return [];
}

describe("settings", () => {
  it("has safe defaults and is frozen", () => {
    const s = loadSettings({});
    expect(s).toMatchObject({
      host: "127.0.0.1",
      port: 8000,
      dataDir: "./.tradai/data",
      databaseUrl: undefined,
      environments: ["dev", "staging", "prod"],
      defaultEnvironment: "dev",
      deprecatedTtlDays: 90,
    });
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.environments)).toBe(true);
  });

  it("treats empty variables as unset", () => {
    expect(loadSettings({ TRADAI_DATABASE_URL: "", TRADAI_PORT: " " }).port).toBe(8000);
  });

  it("reads every variable", () => {
    const s = loadSettings({
      TRADAI_PORT: "9001",
      TRADAI_DATABASE_URL: "postgresql://u:p@db:5432/tradai",
      TRADAI_ENVIRONMENTS: "dev, paper ,live",
      TRADAI_DEFAULT_ENVIRONMENT: "paper",
      TRADAI_DEPRECATED_TTL_DAYS: "30",
      TRADAI_DEMO_DATA: "true",
    });
    expect(s).toMatchObject({
      port: 9001,
      databaseUrl: "postgresql://u:p@db:5432/tradai",
      environments: ["dev", "paper", "live"],
      defaultEnvironment: "paper",
      deprecatedTtlDays: 30,
      demoData: true,
    });
  });

  it.each([
    [{ TRADAI_PORT: "eighty" }, "TRADAI_PORT"],
    [{ TRADAI_PORT: "70000" }, "TRADAI_PORT"],
    [{ TRADAI_DATABASE_URL: "mysql://x" }, "TRADAI_DATABASE_URL"],
    [{ TRADAI_DEFAULT_ENVIRONMENT: "qa" }, "TRADAI_DEFAULT_ENVIRONMENT"],
    [{ TRADAI_ENVIRONMENTS: "dev,Prod" }, "TRADAI_ENVIRONMENTS"],
    [{ TRADAI_ENVIRONMENTS: "dev,dev" }, "TRADAI_ENVIRONMENTS"],
    [{ TRADAI_DEPRECATED_TTL_DAYS: "0" }, "TRADAI_DEPRECATED_TTL_DAYS"],
    [{ TRADAI_LOG_LEVEL: "loud" }, "TRADAI_LOG_LEVEL"],
    [{ TRADAI_DEMO_DATA: "yes please" }, "TRADAI_DEMO_DATA"],
  ])("refuses %o naming %s", (env, variable) => {
    const problems = problemsOf(env);
    expect(problems.map((p) => p.variable)).toEqual([variable]);
  });

  it("refuses to listen beyond loopback while requests are unauthenticated", () => {
    const [problem] = problemsOf({ TRADAI_HOST: "0.0.0.0" });
    expect(problem?.variable).toBe("TRADAI_HOST");
    expect(problem?.message).toMatch(/loopback/);
    expect(loadSettings({ TRADAI_HOST: "::1" }).host).toBe("::1");
  });

  it("names every invalid variable at once", () => {
    expect(
      problemsOf({ TRADAI_PORT: "x", TRADAI_LOG_LEVEL: "y" })
        .map((p) => p.variable)
        .sort(),
    ).toEqual(["TRADAI_LOG_LEVEL", "TRADAI_PORT"]);
  });
});
