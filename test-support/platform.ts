/** @module The whole platform in the test process, on a fresh database, listening on a free loopback port. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiClient } from "@tradai/client";
import { type Database, loadSettings, type Platform, startPlatform } from "@tradai/server";
import { freshDatabase } from "./backend.js";

export interface TestPlatform extends Platform {
  api: ReturnType<typeof createApiClient>;
  /** Raw HTTP: path + init, returns status, content type and parsed body. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response bodies and assert on them
  http(path: string, init?: RequestInit): Promise<{ status: number; type: string; body: any; headers: Headers }>;
}

export async function startTestPlatform(env: Record<string, string> = {}, db?: Database): Promise<TestPlatform> {
  const database = db ?? (await freshDatabase());
  const dir = mkdtempSync(join(tmpdir(), "tradai-platform-"));
  const settings = loadSettings({
    TRADAI_PORT: "0",
    TRADAI_LOG_LEVEL: "silent",
    // No launcher unless a test wants runs to actually run.
    TRADAI_LAUNCHER: "none",
    TRADAI_WORK_DIR: join(dir, "work"),
    TRADAI_ARTIFACTS_DIR: join(dir, "artifacts"),
    ...env,
  });
  const platform = await startPlatform(settings, database);
  return {
    ...platform,
    async close() {
      await platform.close();
      await database.close();
    },
    api: createApiClient({ baseUrl: platform.url }),
    async http(path, init) {
      const response = await fetch(platform.url + path, init);
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      return {
        status: response.status,
        type: response.headers.get("content-type") ?? "",
        body,
        headers: response.headers,
      };
    },
  };
}

/** TRADAI_TASK_DEFINITIONS entry for the test fixture worker (task name `fixture`). */
export const FIXTURE_TASKS = JSON.stringify({
  fixture: [process.execPath, new URL("./fixture-worker.mjs", import.meta.url).pathname],
});

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** POST with a JSON text body (sent exactly as given). */
export function postJson(text: string): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json" }, body: text };
}
