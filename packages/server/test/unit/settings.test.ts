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

  it("turns authentication off only on loopback", () => {
    const [problem] = problemsOf({ TRADAI_HOST: "0.0.0.0", TRADAI_AUTH: "off" });
    expect(problem?.variable).toBe("TRADAI_AUTH");
    expect(problem?.message).toMatch(/loopback.*not 0\.0\.0\.0/);
    expect(loadSettings({ TRADAI_HOST: "::1", TRADAI_AUTH: "off" }).authentication).toBe("off");
    // With authentication on (the default) any address is fine.
    expect(loadSettings({ TRADAI_HOST: "0.0.0.0" }).authentication).toBe("on");
  });

  it("checks the security settings", () => {
    expect(problemsOf({ TRADAI_ADMIN_PASSWORD: "short" })[0]?.variable).toBe("TRADAI_ADMIN_PASSWORD");
    expect(problemsOf({ TRADAI_RBAC_MODE: "log" })[0]?.variable).toBe("TRADAI_RBAC_MODE");
    expect(problemsOf({ TRADAI_CORS_ORIGINS: "https://ok.example, not a url" })[0]?.variable).toBe(
      "TRADAI_CORS_ORIGINS",
    );
    expect(loadSettings({ TRADAI_CORS_ORIGINS: "https://a.example,https://b.example" }).corsOrigins).toEqual([
      "https://a.example",
      "https://b.example",
    ]);
    expect(loadSettings({}).rbacMode).toBe("enforce");
    expect(loadSettings({ TRADAI_OIDC_JWKS_URL: "https://idp.example/jwks" }).oidc?.rolesClaim).toBe("roles");
  });

  it("names every invalid variable at once", () => {
    expect(
      problemsOf({ TRADAI_PORT: "x", TRADAI_LOG_LEVEL: "y" })
        .map((p) => p.variable)
        .sort(),
    ).toEqual(["TRADAI_LOG_LEVEL", "TRADAI_PORT"]);
  });
});
