import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend, freshDatabase } from "../../../test-support/backend.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";
import { systemActor } from "../src/changes/actor.js";
import { type ChangeKernel, changeKernel } from "../src/changes/kernel.js";
import type { Database } from "../src/db/database.js";
import { migrate } from "../src/db/migrate.js";
import { type ActivationService, activationServiceFactory } from "../src/features/activation/service.js";
import { type ConfigService, configServiceFactory } from "../src/features/configs/service.js";
import { environmentsFactory, syncEnvironments } from "../src/features/environments/environments.js";
import { kernelSources } from "../src/kernel-sources.js";

const t = systemActor("t");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`purge of deprecated versions (${backend})`, () => {
  let db: Database;
  let configs: ConfigService;
  let activation: ActivationService;
  let changes: ChangeKernel;
  beforeAll(async () => {
    db = await freshDatabase();
    await migrate(db);
    await syncEnvironments(db, ["dev"]);
    changes = changeKernel({ db, sources: kernelSources(), changeRequestTtlHours: 72 });
    // A TTL of ~0.09 s, so versions expire within the test.
    const environments = environmentsFactory(["dev"], "dev");
    configs = configServiceFactory({ db, changes, environments, deprecatedTtlDays: 1e-6 });
    activation = activationServiceFactory({ db, changes, environments });
  });
  afterAll(() => db.close());

  it("removes expired deprecated versions, keeps referenced, live and unexpired ones, and keeps activation history", async () => {
    const create = async (x: number) =>
      (await configs.create({ strategy_name: "P", config_data: { x } }, t)).version.config_id;
    const [expired, referenced, live] = [await create(1), await create(2), await create(3)];
    await activation.request({ strategy: "P", configId: expired, actor: t });
    await activation.request({ strategy: "P", configId: live, actor: t });
    await configs.deprecate("P", expired, t, undefined);
    await configs.deprecate("P", referenced, t, undefined);
    // The hook later features (runs) redefine: pretend a run uses `referenced`.
    await db.exec(`CREATE OR REPLACE FUNCTION config_version_is_referenced(version_id bigint) RETURNS boolean
      LANGUAGE sql STABLE AS $$ SELECT version_id = (SELECT id FROM config_versions WHERE config_id = '${referenced}') $$`);
    await sleep(250);

    const purged = await configs.purgeExpired();
    expect(purged).toEqual([{ strategy_name: "P", config_id: expired }]);
    const { rows } = await db.query<{ config_id: string }>(
      "SELECT config_id FROM config_versions ORDER BY version_number",
    );
    expect(rows.map((r) => r.config_id)).toEqual([referenced, live]);
    const history = await db.query<{ config_id: string; config_version_id: number | null }>(
      "SELECT config_id, config_version_id FROM activations ORDER BY id",
    );
    expect(history.rows).toEqual([
      { config_id: expired, config_version_id: null },
      { config_id: live, config_version_id: expect.any(Number) },
    ]);
    // Numbers are never reused after a purge.
    expect((await configs.create({ strategy_name: "P", config_data: { x: 4 } }, t)).version.version_number).toBe(4);
  });

  it("leaves unexpired deprecated versions alone", async () => {
    const slow = configServiceFactory({
      db,
      changes,
      environments: environmentsFactory(["dev"], "dev"),
      deprecatedTtlDays: 90,
    });
    const id = (await slow.create({ strategy_name: "Q", config_data: { q: 1 } }, t)).version.config_id;
    await slow.deprecate("Q", id, t, undefined);
    expect(await slow.purgeExpired()).toEqual([]);
    expect((await slow.show("Q", id)).purge_after).not.toBeNull();
  });
});

describe(`purge job in the running platform (${backend})`, () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform({ TRADAI_DEPRECATED_TTL_DAYS: "0.000001", TRADAI_PURGE_INTERVAL_SECONDS: "1" });
  });
  afterAll(() => p.close());

  it("purges a deprecated version on its own within a few intervals", async () => {
    const v = await p.api.createConfig({ strategy_name: "J", config_data: { j: 1 } });
    await p.api.deprecateConfig("J", v.config_id);
    let status = 200;
    for (let i = 0; i < 100 && status === 200; i++) {
      await sleep(100);
      status = (await p.http(`/api/v1/configs/J/${v.config_id}`)).status;
    }
    expect(status).toBe(404);
  });
});
