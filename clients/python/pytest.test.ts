/**
 * The Python client's suite (pytest) as part of `npm test`: every Python test becomes a test here,
 * once per database (PGlite, and the PostgreSQL server of this run), so a Python failure fails the
 * run and is reported by name. Both backends run at once, each against its own `tradai serve`.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, inject, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const python = process.env.TRADAI_TEST_PYTHON ?? "python3";

interface Outcome {
  nodeid: string;
  when: "setup" | "call" | "teardown";
  outcome: "passed" | "failed" | "skipped";
  longrepr: string;
}

/** The suite's test ids, collected now (vitest declares its tests before it runs them). */
const ids = execFileSync(python, ["-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"], {
  cwd: here,
  encoding: "utf8",
})
  .split("\n")
  .filter((line) => line.includes("::"));

function runPytest(backend: "pglite" | "postgres", env: Record<string, string>): Promise<Map<string, Outcome[]>> {
  const report = join(mkdtempSync(join(tmpdir(), "tradai-pytest-")), "report.jsonl");
  return new Promise((resolve, reject) => {
    const child = spawn(python, ["-m", "pytest", "-q", "-p", "no:cacheprovider"], {
      cwd: here,
      env: { ...process.env, ...env, TRADAI_TEST_DB: backend, TRADAI_PYTEST_REPORT: report },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", () => {
      const outcomes = new Map<string, Outcome[]>();
      let text = "";
      try {
        text = readFileSync(report, "utf8");
      } catch {
        reject(new Error(`pytest (${backend}) wrote no results; its output:\n${output.slice(-8000)}`));
        return;
      }
      for (const line of text.split("\n").filter(Boolean)) {
        const o = JSON.parse(line) as Outcome;
        outcomes.set(o.nodeid, [...(outcomes.get(o.nodeid) ?? []), o]);
      }
      const summary = output.trim().split("\n").at(-1);
      process.stdout.write(`pytest (${backend}): ${summary}\n`);
      resolve(outcomes);
    });
  });
}

const runs: Partial<Record<"pglite" | "postgres", Promise<Map<string, Outcome[]>>>> = {};

beforeAll(() => {
  // Both at once: each starts its own servers.
  runs.pglite = runPytest("pglite", {});
  runs.postgres = runPytest("postgres", { TRADAI_TEST_POSTGRES_URL: inject("postgresUrl") });
  // A rejected run fails its tests; keep Node from reporting it as unhandled meanwhile.
  runs.pglite.catch(() => {});
  runs.postgres.catch(() => {});
});

it("collects the Python suite", () => {
  expect(ids.length).toBeGreaterThanOrEqual(40);
});

for (const backend of ["pglite", "postgres"] as const) {
  describe(`python client (${backend})`, () => {
    for (const id of ids) {
      it(id, async () => {
        const outcomes = (await runs[backend])?.get(id);
        expect(outcomes, `${id} did not run`).toBeDefined();
        const bad = outcomes?.filter((o) => o.outcome !== "passed") ?? [];
        // A skipped Python test fails here too: nothing is skipped to get green.
        expect(bad.map((o) => `${o.when} ${o.outcome}:\n${o.longrepr}`).join("\n")).toBe("");
      }, 600_000);
    }
  });
}
