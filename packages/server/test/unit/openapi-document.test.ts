/**
 * The OpenAPI document as generators and linters take it (issue 22): every operation named once,
 * errors as problem+json, public routes public; Redocly's lint finds no error; a client generated
 * by openapi-typescript compiles against a sample that uses it. Tools run from node_modules/.bin.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { loadSettings, openPgliteDatabase, type Platform, startPlatform } from "@tradai/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("../../../../", import.meta.url).pathname;
const bin = (name: string) => join(root, "node_modules/.bin", name);

interface Operation {
  operationId?: string;
  security?: unknown[];
  responses: Record<string, { description: string; content?: Record<string, { schema?: { $ref?: string } }> }>;
}
// biome-ignore lint/suspicious/noExplicitAny: the document is JSON read back
let document: any;
let operations: [string, Operation][];
let platform: Platform;
const dir = mkdtempSync(join(tmpdir(), "tradai-openapi-"));

beforeAll(async () => {
  const settings = loadSettings({
    TRADAI_PORT: "0",
    TRADAI_LOG_LEVEL: "silent",
    TRADAI_LAUNCHER: "none",
    TRADAI_WORK_DIR: join(dir, "work"),
    TRADAI_ARTIFACTS_DIR: join(dir, "artifacts"),
    TRADAI_DATA_DIR: join(dir, "data"),
    TRADAI_ADMIN_PASSWORD: "openapi-test-password-0",
  });
  platform = await startPlatform(settings, await openPgliteDatabase());
  // Without credentials: the document is public.
  const response = await fetch(`${platform.url}/api/v1/openapi.json`);
  expect(response.status).toBe(200);
  document = await response.json();
  writeFileSync(join(dir, "openapi.json"), JSON.stringify(document, null, 2));
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, Operation>).map(
      ([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as [string, Operation],
    ),
  );
});
afterAll(() => platform?.close());

describe("the OpenAPI document", () => {
  it("names every operation once, verb first, in camelCase", () => {
    const ids = operations.map(([, operation]) => operation.operationId);
    expect(operations.filter(([, operation]) => !operation.operationId).map(([name]) => name)).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(?:[A-Z0-9][a-z0-9]*)+$/);
  });

  it("documents every error as a Problem in application/problem+json, and every response in words", () => {
    for (const [name, operation] of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(response.description, `${name} ${status}`).not.toBe("Default Response");
        if (Number(status) < 400) continue;
        expect(response.content, `${name} ${status}`).toEqual({
          "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } },
        });
      }
    }
    expect(Object.keys(document.components.schemas.Problem.properties)).toEqual(
      expect.arrayContaining(["type", "title", "status", "detail", "instance", "request_id", "errors"]),
    );
  });

  it("names its resources in components.schemas", () => {
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(["ConfigVersion", "Run", "WorkerView", "ChangeRequest", "CatalogEntry", "AuditEntry"]),
    );
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(["EnvironmentView", "User", "ServiceToken", "Problem"]),
    );
  });

  it("says which operations are public, and its docs page is too", async () => {
    const page = await fetch(`${platform.url}/api/v1/docs/`);
    expect(page.status).toBe(200);
    const publicOnes = operations.filter(([, o]) => Array.isArray(o.security) && o.security.length === 0);
    expect(publicOnes.map(([name]) => name).sort()).toEqual([
      "GET /api/v1/health",
      "GET /api/v1/health/live",
      "GET /api/v1/health/ready",
      "GET /api/v1/openapi.json",
      "POST /api/v1/auth/login",
    ]);
  });

  it("passes Redocly's lint (redocly.yaml) without an error", async () => {
    const { stdout } = await run(
      bin("redocly"),
      ["lint", join(dir, "openapi.json"), "--config", join(root, "redocly.yaml"), "--format=json"],
      // No telemetry, no update check: nothing leaves the machine.
      { env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" } },
    ).catch((error: { stdout: string }) => error);
    const problems: { ruleId: string; severity: string; message: string }[] = JSON.parse(stdout).problems;
    const warnings = problems.filter((p) => p.severity === "warn").map((p) => `${p.ruleId}: ${p.message}`);
    if (warnings.length) console.info(`redocly warnings:\n${warnings.join("\n")}`);
    expect(problems.filter((p) => p.severity === "error")).toEqual([]);
  });

  it("gives a TypeScript client (openapi-typescript) that compiles against a sample", async () => {
    await run(bin("openapi-typescript"), [join(dir, "openapi.json"), "--output", join(dir, "api.d.ts")]);
    writeFileSync(join(dir, "sample.ts"), CLIENT_SAMPLE);
    const compiled = await run(bin("tsc"), [
      "--noEmit",
      "--strict",
      "--target",
      "es2022",
      "--module",
      "nodenext",
      "--types",
      "node",
      "--typeRoots",
      join(root, "node_modules/@types"),
      join(dir, "sample.ts"),
    ]).then(
      () => "",
      (error: { stdout: string }) => error.stdout,
    );
    expect(compiled).toBe("");
  });
});

/** A few operations as a client would use them: requests, answers, problems, by their names. */
const CLIENT_SAMPLE = `
import type { components, operations, paths } from "./api.js";

type ConfigVersion = components["schemas"]["ConfigVersion"];
type Problem = components["schemas"]["Problem"];
type VersionList = operations["listConfigVersions"]["responses"][200]["content"]["application/json"];
type Activated = operations["activateConfigVersion"]["responses"][200]["content"]["application/json"];
type NotFound = operations["activateConfigVersion"]["responses"][404]["content"]["application/problem+json"];
type NewVersion = operations["createConfigVersion"]["requestBody"]["content"]["application/json"];
type Health = paths["/api/v1/health"]["get"]["responses"][200]["content"]["application/json"];
type Runs = operations["listRuns"]["responses"][200]["content"]["application/json"];

export const newest = (list: VersionList): ConfigVersion | undefined => list.items[0];
export const activatedId = (answer: Activated): string => answer.config_id;
export const firstRun = (runs: Runs): string | undefined => runs.items[0]?.job_id;
export const notFound: NotFound = { type: "urn:tradai:problem:not-found", title: "Not found", status: 404, detail: "no v9" };
export const fields: Problem["errors"] = [{ field: "config_data", location: "body", message: "must be an object" }];
export const body: NewVersion = { strategy_name: "StochRsiStrategy", config_data: { timeframe: "1h" } };
export const healthy = (health: Health): boolean => health.status === "ok";

async function call<T>(path: string): Promise<T> {
  const response = await fetch(path);
  return (await response.json()) as T;
}
export const listVersions = (strategy: string) => call<VersionList>(\`/api/v1/configs/\${strategy}\`);
`;
