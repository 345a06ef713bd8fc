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
      // `npm run lighthouse:check` (TRADAI_LIGHTHOUSE_CHECK=1): Lighthouse's mobile preset must meet
      // issue 22's targets on the dashboard and the editor. Not in `npm test` yet: the editor's score
      // is below 90 on a loaded 2-core machine (bench/results/lighthouse.md).
      ...(process.env.TRADAI_LIGHTHOUSE_CHECK === "1"
        ? [
            {
              extends: true as const,
              test: {
                name: "lighthouse",
                include: ["packages/console/test/lighthouse.check.ts"],
                testTimeout: 300_000,
              },
            },
          ]
        : []),
      {
        // Faults (issue 25): each starts its own PostgreSQL server and `tradai serve` processes,
        // then stops, freezes or kills them. `npm run test:faults` runs only these.
        extends: true,
        test: { name: "faults", include: ["packages/server/test/faults/**/*.test.ts"], testTimeout: 300_000 },
      },
    ],
  },
});
