/**
 * The legacy mirror for the cut-over (issue 17): a real legacy PostgreSQL database with the two
 * legacy tables; once the mirror of FTF in dev is on, the live row follows every change of the
 * resolved config (activations, base values), each write appending a history row as the legacy tool
 * did. With the legacy database down, the mirror fails, says so in the workers view, and catches
 * up once it is back. Turning it off stops it. Setting it is a governed, audited change.
 */
import type { ApiProblemError } from "@tradai/client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { eventually, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";
import { createDatabase, type PostgresServer, startPostgresServer } from "../../../test-support/postgres-server.js";

const S = "FTF";
let p: TestPlatform;
let legacyServer: PostgresServer;
let legacyUrl: string;

async function legacy<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: legacyUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}
const liveRow = async () => (await legacy<{ base_env: unknown }>("SELECT base_env FROM ftf_config"))[0]?.base_env;
const mirrorOf = async () => (await p.api.listWorkers({ environment: "dev" })).legacy_mirrors[0];

beforeAll(async () => {
  legacyServer = await startPostgresServer();
  legacyUrl = await createDatabase(legacyServer.url, "legacy");
  await legacy("CREATE TABLE ftf_config (id int PRIMARY KEY, base_env jsonb NOT NULL)");
  await legacy(
    "CREATE TABLE ftf_config_history (id bigserial PRIMARY KEY, base_env jsonb NOT NULL, changed_by text, changed_at timestamptz, comment text)",
  );
  await legacy(`INSERT INTO ftf_config VALUES (1, '{"stoploss": -0.05, "mode": "legacy"}')`);
  // Only dev has a legacy database here: staging has none.
  p = await startTestPlatform({
    TRADAI_LEGACY_MIRROR_URL_DEV: legacyUrl,
    TRADAI_LEGACY_MIRROR_INTERVAL_SECONDS: "0.2",
  });
});

afterAll(async () => {
  await p?.close();
  await legacyServer?.stop();
});

describe(`legacy mirror (${backend})`, () => {
  it("follows each change of the resolved config, appending history; is audited; refuses where no database is set", async () => {
    const v1 = await p.api.createConfig({ strategy_name: S, config_data: { stoploss: -0.05, mode: "swing" } });
    await p.api.activate(S, v1.config_id, { environment: "dev" });

    const set = await p.api.setLegacyMirror("dev", { strategy: S, enabled: true });
    expect(set).toMatchObject({ environment: "dev", strategy: S, enabled: true, target: { table: "ftf_config" } });
    await eventually(async () => ((await mirrorOf())?.status === "ok" ? true : undefined), "the first write");
    expect(await liveRow()).toEqual({ stoploss: -0.05, mode: "swing" });
    expect(await mirrorOf()).toMatchObject({ mirrored_config_id: v1.config_id, lag_changes: 0, attempts: 0 });

    // Base values change the resolved config without an activation: the row follows them too.
    await p.approved(p.api.putEnvironmentBase("dev", { execution: { order_type: "limit" } }));
    await eventually(
      async () => ((await liveRow()) as { execution?: unknown }).execution ?? undefined,
      "the base values mirrored",
    );
    const resolved = await p.api.resolve(S, { environment: "dev" });
    expect(await liveRow()).toEqual(resolved.values);
    const history = await legacy<{ changed_by: string; comment: string }>(
      "SELECT changed_by, comment FROM ftf_config_history ORDER BY id",
    );
    expect(history).toHaveLength(2);
    expect(history.every((h) => h.changed_by === "tradai-mirror")).toBe(true);
    expect(history[1]?.comment).toContain(`${S} ${v1.config_id} in dev`);

    const audit = await p.api.listAudit({ action: "legacy_mirror.set" });
    expect(audit.items[0]).toMatchObject({ actor: "admin", target_id: `dev/${S}`, environment: "dev" });

    const refused = await p.api
      .setLegacyMirror("staging", { strategy: S, enabled: true })
      .catch((e: unknown) => e as ApiProblemError);
    expect((refused as ApiProblemError).problem).toMatchObject({
      status: 409,
      detail: expect.stringContaining("TRADAI_LEGACY_MIRROR_URL_STAGING"),
    });
    expect((await p.api.listLegacyMirrors("staging")).items).toEqual([]);
  });

  it("fails while the legacy database is down, says so with its lag, and catches up once it is back", async () => {
    await legacyServer.halt();
    try {
      const v2 = await p.api.createConfig({ strategy_name: S, config_data: { stoploss: -0.07, mode: "swing" } });
      await p.api.activate(S, v2.config_id, { environment: "dev" });
      const failing = await eventually(
        async () => ((await mirrorOf())?.status === "failing" ? await mirrorOf() : undefined),
        "the mirror failing",
      );
      expect(failing).toMatchObject({ up_to_date: false, lag_changes: 1, attempts: expect.any(Number) });
      expect(failing?.attempts).toBeGreaterThan(0);
      expect(failing?.last_error).toEqual(expect.any(String));
      const metrics = await (await fetch(`${p.url}/metrics`)).text();
      expect(metrics).toMatch(/tradai_legacy_mirror_lag_seconds\{environment="dev",strategy="FTF"\} \d/);
      expect(metrics).toMatch(/tradai_legacy_mirror_writes_total\{environment="dev",outcome="failed"\} [1-9]/);
    } finally {
      await legacyServer.start();
    }
    const caughtUp = await eventually(
      async () => ((await mirrorOf())?.status === "ok" ? await mirrorOf() : undefined),
      "the mirror catching up",
      60_000,
    );
    expect(caughtUp).toMatchObject({ attempts: 0, last_error: null, lag_changes: 0 });
    expect(await liveRow()).toEqual((await p.api.resolve(S, { environment: "dev" })).values);
  });

  it("turned off, it writes nothing more; on again, it writes afresh; one mirror per row; bad names refused", async () => {
    const off = await p.api.setLegacyMirror("dev", { strategy: S, enabled: false });
    expect(off.status).toBe("off");
    const before = await liveRow();
    const v3 = await p.api.createConfig({ strategy_name: S, config_data: { stoploss: -0.09, mode: "swing" } });
    await p.api.activate(S, v3.config_id, { environment: "dev" });
    await new Promise((done) => setTimeout(done, 1_500)); // several mirror passes
    expect(await liveRow()).toEqual(before);
    expect(await mirrorOf()).toMatchObject({ status: "off", up_to_date: false });

    // On again: the row is written afresh at once, with what resolves now.
    await p.api.setLegacyMirror("dev", { strategy: S, enabled: true });
    await eventually(async () => ((await mirrorOf())?.status === "ok" ? true : undefined), "the mirror on again");
    expect(await liveRow()).toEqual((await p.api.resolve(S, { environment: "dev" })).values);
    expect((await mirrorOf())?.mirrored_config_id).toBe(v3.config_id);
    // A second mirror onto the same legacy row is refused: they would overwrite each other.
    const twice = await p.api
      .setLegacyMirror("dev", { strategy: "Other", enabled: true })
      .catch((e: unknown) => e as ApiProblemError);
    expect((twice as ApiProblemError).problem).toMatchObject({
      status: 409,
      detail: expect.stringContaining("one mirror per table"),
    });

    const bad = await p.http("/api/v1/legacy-mirrors/dev", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ strategy: S, enabled: true, target: { table: "ftf_config; DROP TABLE x" } }),
    });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain("target.table");
  });
});
