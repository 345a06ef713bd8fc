import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Database tests run twice: on embedded PGlite and on a real PostgreSQL server that the
// `postgres` project starts itself (test-support/postgres-global-setup.ts).
const databaseTests = ["packages/server/test/**/*.test.ts", "packages/cli/test/**/*.test.ts"];

// `npm run test:quick` (TRADAI_TEST_QUICK=1): the unit tests and the server's API tests on PGlite,
// without the CLI's tests and the suites that time streams, workers and launchers (`npm test` runs those).
const quick = process.env.TRADAI_TEST_QUICK === "1";
const notQuick = [
  "propagation-resilience",
  "runs-launcher",
  "subscriber",
  "strict-live",
  "notice-stream",
  "request-logs",
];

export default defineConfig({
  test: {
    reporters: ["default", "./test-support/summary-reporter.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two files at a time at least: most files wait on child processes and sockets (servers, CLIs,
    // PostgreSQL, Chromium) more than they compute, and Vitest's default (cores - 1) is one file at
    // a time on a 2-core machine. The suites that time the machine itself run after, alone (below).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // `extends: true`: inline projects do not inherit the options above (timeouts) otherwise.
    projects: [
      { extends: true, test: { name: "unit", include: ["packages/*/test/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "pglite",
          include: quick ? ["packages/server/test/**/*.test.ts"] : databaseTests,
          exclude: [
            "packages/*/test/unit/**",
            "packages/server/test/faults/**",
            ...(quick ? notQuick.map((name) => `packages/server/test/${name}.test.ts`) : []),
          ],
          env: { TRADAI_TEST_DB: "pglite" },
        },
      },
      {
        // The console in a real browser (Debian's Chromium), against the platform on PGlite.
        extends: true,
        test: {
          name: "browser",
          include: ["packages/console/test/**/*.test.ts"],
          exclude: ["packages/*/test/unit/**"],
          env: { TRADAI_TEST_DB: "pglite" },
        },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          include: databaseTests,
          exclude: ["packages/*/test/unit/**", "packages/server/test/faults/**"],
          env: { TRADAI_TEST_DB: "postgres" },
          globalSetup: ["./test-support/postgres-global-setup.ts"],
        },
      },
      {
        // The Python client's pytest suite (clients/python), once per database, each test reported by name.
        extends: true,
        test: {
          name: "python",
          include: ["clients/python/pytest.test.ts"],
          globalSetup: ["./test-support/postgres-global-setup.ts"],
        },
      },
      {
        // The deployment (issue 18): the Helm chart rendered, validated and run against a real server;
        // and the docs that run: the README's transcripts (issue 27), the operations guide.
        extends: true,
        test: { name: "deploy", include: ["deploy/**/*.test.ts", "docs/**/*.test.ts"] },
      },
      {
        // Issue 22: Lighthouse's mobile preset must meet the targets on the dashboard and the editor
        // (`npm run lighthouse:check` runs only this). Its scores time the page's main-thread work,
        // so it runs last and alone (group 2, one worker), never beside a suite that loads the CPU.
        extends: true,
        test: {
          name: "lighthouse",
          include: ["packages/console/test/lighthouse.check.ts"],
          testTimeout: 300_000,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
      {
        // Faults (issue 25): each starts its own PostgreSQL server and `tradai serve` processes,
        // then stops, freezes or kills them, and times the recovery: one at a time, after the
        // suites above (group 1). `npm run test:faults` runs only these.
        extends: true,
        test: {
          name: "faults",
          include: ["packages/server/test/faults/**/*.test.ts"],
          testTimeout: 300_000,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
