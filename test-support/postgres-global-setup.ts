/**
 * Vitest global setup of the `postgres` project: one server for the whole run, started here (or
 * the one named by TRADAI_TEST_POSTGRES_URL). No test is skipped for want of a server: if none can
 * be started, the run fails.
 */
import type { TestProject } from "vitest/node";
import { startPostgresServer } from "./postgres-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.TRADAI_TEST_POSTGRES_URL;
  if (given) {
    project.provide("postgresUrl", given);
    return;
  }
  const server = await startPostgresServer();
  project.provide("postgresUrl", server.url);
  return () => server.stop();
}
