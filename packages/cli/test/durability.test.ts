/**
 * Crash durability: a server process killed with SIGKILL in the middle of a burst of creates must
 * lose nothing it answered 201 for, and leave version numbers gapless (1..N) for the next process
 * on the same database.
 */
import type { ConfigVersion, ConfigVersionList, CreateConfigResponse } from "@tradai/core";
import { afterAll, describe, expect, it } from "vitest";
import { adminFetch } from "../../../test-support/auth.js";
import { backend, freshDatabaseEnv } from "../../../test-support/backend.js";
import { removeDataDir, type ServerProcess, startServerProcess } from "../../../test-support/server-process.js";

const STRATEGY = "BurstStrategy";
const CLIENTS = 8;
const REQUESTS_PER_CLIENT = 75;
const KILL_AFTER_CREATED = 100;

interface Created {
  config_hash: string;
  config_data: Record<string, unknown>;
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await adminFetch(url);
  return { status: response.status, body: (await response.json()) as T };
}

/** Every version of the strategy, following next_offset. */
async function listAll(baseUrl: string): Promise<ConfigVersion[]> {
  const items: ConfigVersion[] = [];
  let offset: number | null = 0;
  while (offset !== null) {
    const page: { status: number; body: ConfigVersionList } = await getJson(
      `${baseUrl}/api/v1/configs/${STRATEGY}?limit=500&offset=${offset}`,
    );
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    offset = page.body.next_offset;
  }
  return items;
}

describe(`a server process killed mid-burst (${backend})`, () => {
  const servers: ServerProcess[] = [];
  let databaseEnv: Record<string, string> = {};
  afterAll(async () => {
    for (const server of servers) await server.kill();
    removeDataDir(databaseEnv);
  });

  it("keeps every version it answered 201 for, with gapless version numbers", { timeout: 180_000 }, async () => {
    databaseEnv = await freshDatabaseEnv();
    const first = await startServerProcess(databaseEnv);
    servers.push(first);

    // 8 clients create distinct content; the first 201 past KILL_AFTER_CREATED pulls the plug
    // while the other clients' requests are in flight.
    const created = new Map<string, Created>();
    const refused: string[] = [];
    let killed: ReturnType<ServerProcess["kill"]> | undefined;
    const client = async (c: number) => {
      for (let i = 0; i < REQUESTS_PER_CLIENT && !killed; i++) {
        const config_data = { client: c, request: i, stoploss: -(c * 1000 + i + 1) / 1e6 };
        let status: number;
        let body: CreateConfigResponse;
        try {
          const response = await adminFetch(`${first.url}/api/v1/configs`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ strategy_name: STRATEGY, config_data }),
          });
          status = response.status;
          body = (await response.json()) as CreateConfigResponse;
        } catch {
          return; // the server is gone: an answer that never came promises nothing
        }
        if (status !== 201) refused.push(`${status} ${JSON.stringify(body)}`);
        else created.set(body.config_id, { config_hash: body.config_hash, config_data });
        if (created.size >= KILL_AFTER_CREATED) killed ??= first.kill();
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    expect(refused).toEqual([]);
    expect(killed, "the burst ended before the kill").toBeDefined();
    expect(await killed).toEqual({ code: null, signal: "SIGKILL" });
    expect(created.size).toBeGreaterThanOrEqual(KILL_AFTER_CREATED);

    const second = await startServerProcess(databaseEnv);
    servers.push(second);

    for (const [configId, expected] of created) {
      const shown = await getJson<ConfigVersion>(`${second.url}/api/v1/configs/${STRATEGY}/${configId}`);
      expect(shown.status, configId).toBe(200);
      expect(shown.body, configId).toMatchObject({ config_id: configId, ...expected });
    }

    const versions = await listAll(second.url);
    const numbers = versions.map((v) => v.version_number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
    expect(versions.length).toBeGreaterThanOrEqual(created.size);
    for (const v of versions) expect(v.config_id).toBe(`v${v.version_number}-${v.config_hash.slice(0, 8)}`);
    expect(new Set(versions.map((v) => v.config_hash)).size).toBe(versions.length);

    // The counter survived too: the next version follows the last one.
    const next = await adminFetch(`${second.url}/api/v1/configs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ strategy_name: STRATEGY, config_data: { after: "restart" } }),
    });
    expect(next.status).toBe(201);
    expect(((await next.json()) as CreateConfigResponse).version_number).toBe(versions.length + 1);

    expect(await second.stop()).toEqual({ code: 0, signal: null });
  });
});
