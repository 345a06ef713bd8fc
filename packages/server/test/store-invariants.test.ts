/**
 * The invariants hold in the database itself: these tests go around the service with direct SQL
 * and try to break them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend, freshDatabase } from "../../../test-support/backend.js";
import { systemActor } from "../src/changes/actor.js";
import { changeKernel } from "../src/changes/kernel.js";
import type { Database } from "../src/db/database.js";
import { migrate } from "../src/db/migrate.js";
import { type ActivationService, activationServiceFactory } from "../src/features/activation/service.js";
import { type ConfigService, configServiceFactory } from "../src/features/configs/service.js";
import { environmentsFactory, syncEnvironments } from "../src/features/environments/environments.js";
import { kernelSources } from "../src/kernel-sources.js";

const t = systemActor("t");

describe(`database invariants (${backend})`, () => {
  let db: Database;
  let configs: ConfigService;
  let activation: ActivationService;
  let v1: string;
  let v2: string;

  beforeAll(async () => {
    db = await freshDatabase();
    await migrate(db);
    await syncEnvironments(db, ["dev", "prod"]);
    const environments = environmentsFactory(["dev", "prod"], "dev");
    const changes = changeKernel({ db, sources: kernelSources(), changeRequestTtlHours: 72 });
    activation = activationServiceFactory({ db, changes, environments });
    configs = configServiceFactory({ db, changes, environments, deprecatedTtlDays: 90 });
    v1 = (await configs.create({ strategy_name: "S", config_data: { a: 1 } }, t)).version.config_id;
    v2 = (await configs.create({ strategy_name: "S", config_data: { a: 2 } }, t)).version.config_id;
    await activation.request({ strategy: "S", configId: v1, actor: t, environment: "dev" });
  });
  afterAll(() => db.close());

  const rejects = (sql: string, params: unknown[] = []) => expect(db.query(sql, params)).rejects.toThrow();

  it("rejects any change of a version's content", async () => {
    await rejects(`UPDATE config_versions SET config_data = '{"a":99}' WHERE config_id = $1`, [v1]);
    await rejects(`UPDATE config_versions SET config_hash = repeat('0', 64) WHERE config_id = $1`, [v1]);
    await rejects("UPDATE config_versions SET description = 'rewritten' WHERE config_id = $1", [v1]);
    await rejects("UPDATE config_versions SET version_number = 7 WHERE config_id = $1", [v1]);
    const { rows } = await db.query<{ config_data: unknown }>(
      "SELECT config_data FROM config_versions WHERE config_id = $1",
      [v1],
    );
    expect(rows[0]?.config_data).toEqual({ a: 1 });
  });

  it("rejects deleting a version that is not a deprecated one past its purge time", async () => {
    await rejects("DELETE FROM config_versions WHERE config_id = $1", [v2]);
    await configs.deprecate("S", v2, t, "no longer wanted");
    await expect(db.query("DELETE FROM config_versions WHERE config_id = $1", [v2])).rejects.toThrow(/immutable/);
    const { rows } = await db.query("SELECT 1 FROM config_versions WHERE strategy_name = 'S'");
    expect(rows).toHaveLength(2);
  });

  it("rejects un-deprecating or re-deprecating a version", async () => {
    await rejects(
      "UPDATE config_versions SET deprecated_at = NULL, deprecated_by = NULL, purge_after = NULL WHERE config_id = $1",
      [v2],
    );
    await rejects("UPDATE config_versions SET purge_after = now() - interval '1 day' WHERE config_id = $1", [v2]);
  });

  it("rejects deprecating an active version behind the service's back", async () => {
    await rejects(
      "UPDATE config_versions SET deprecated_at = now(), deprecated_by = 'x', purge_after = now() WHERE config_id = $1",
      [v1],
    );
  });

  it("allows at most one active version per strategy and environment", async () => {
    const v3 = (await configs.create({ strategy_name: "S", config_data: { a: 3 } }, t)).version.config_id;
    await expect(
      db.query(
        `INSERT INTO activations (strategy_name, environment, config_version_id, config_id, activated_by)
         SELECT 'S', 'dev', id, config_id, 'sql' FROM config_versions WHERE config_id = $1`,
        [v3],
      ),
    ).rejects.toThrow(/activations_one_active|duplicate key/);
    // Another environment is a different slot.
    await db.query(
      `INSERT INTO activations (strategy_name, environment, config_version_id, config_id, activated_by)
       SELECT 'S', 'prod', id, config_id, 'sql' FROM config_versions WHERE config_id = $1`,
      [v3],
    );
  });

  it("rejects activating an explicitly deprecated version", async () => {
    await rejects(
      `INSERT INTO activations (strategy_name, environment, config_version_id, config_id, activated_by)
       SELECT 'S', 'dev', id, config_id, 'sql' FROM config_versions WHERE config_id = $1`,
      [v2],
    );
  });

  it("keeps activation history append-only", async () => {
    await rejects("DELETE FROM activations");
    await rejects("UPDATE activations SET activated_by = 'someone else'");
    await rejects("UPDATE activations SET environment = 'prod' WHERE environment = 'dev'");
  });

  it("rejects a config_id that does not match its number and hash", async () => {
    await rejects(
      `INSERT INTO config_versions (strategy_name, version_number, config_id, config_hash, config_data, created_by)
       VALUES ('S', 99, 'v99-00000000', repeat('a', 64), '{}', 'sql')`,
    );
  });

  it("rejects a second live version with the same content", async () => {
    await rejects(
      `INSERT INTO config_versions (strategy_name, version_number, config_id, config_hash, config_data, created_by)
       SELECT 'S', 99, 'v99-' || left(config_hash, 8), config_hash, config_data, 'sql' FROM config_versions WHERE config_id = $1`,
      [v1],
    );
  });

  it("keeps a staged rollout bound to what it started with, one open per strategy and environment, its steps only forward, and its history", async () => {
    const { rows } = await db.query<{ id: string; config_hash: string }>(
      "SELECT id, config_hash FROM config_versions WHERE config_id = $1",
      [v1],
    );
    const version = rows[0] as { id: string; config_hash: string };
    const insert = (id: string, extra = "") =>
      db.query(
        `INSERT INTO rollouts (id, environment, strategy_name, config_version_id, config_id, config_hash, from_config_id,
           steps, state, step, step_started_at, assignment, created_by ${extra ? ", ended_at, end_reason" : ""})
         VALUES ($1, 'prod', 'S', $2, $3, $4, NULL, '[{"share": 0.25, "bake_seconds": 60}, {"share": 1, "bake_seconds": 0}]',
           ${extra || "'running'"}, 0, now(), '{"threshold": 0.2, "selectors": []}', 'sql' ${extra ? ", now(), 'done'" : ""})`,
        [id, version.id, v1, version.config_hash],
      );
    const first = "00000000-0000-4000-8000-000000000001";
    await insert(first);
    // One open rollout per strategy and environment; an ended one does not count.
    await expect(insert("00000000-0000-4000-8000-000000000002")).rejects.toThrow();
    await insert("00000000-0000-4000-8000-000000000003", "'completed'");
    // What it rolls out, and how, never changes.
    await rejects("UPDATE rollouts SET config_hash = repeat('0', 64) WHERE id = $1", [first]);
    await rejects(`UPDATE rollouts SET steps = '[{"share": 1, "bake_seconds": 0}]' WHERE id = $1`, [first]);
    await rejects("UPDATE rollouts SET from_config_id = 'v9-00000000' WHERE id = $1", [first]);
    // A step past the last one, a state that does not match its end: refused.
    await rejects("UPDATE rollouts SET step = 2 WHERE id = $1", [first]);
    await rejects("UPDATE rollouts SET state = 'completed' WHERE id = $1", [first]);
    // Forward, then never back.
    await db.query("UPDATE rollouts SET step = 1, step_started_at = now() WHERE id = $1", [first]);
    await rejects("UPDATE rollouts SET step = 0 WHERE id = $1", [first]);
    // Ended: history, never changed again nor deleted.
    await db.query("UPDATE rollouts SET state = 'rolled_back', ended_at = now(), end_reason = 'guard' WHERE id = $1", [
      first,
    ]);
    await rejects("UPDATE rollouts SET state = 'running', ended_at = NULL, end_reason = NULL WHERE id = $1", [first]);
    await expect(db.query("DELETE FROM rollouts WHERE id = $1", [first])).rejects.toThrow(/history/);
    await expect(db.query("TRUNCATE rollouts")).rejects.toThrow(/history/);
    const { rows: kept } = await db.query<{ state: string; step: number }>(
      "SELECT state, step FROM rollouts WHERE id = $1",
      [first],
    );
    expect(kept).toEqual([{ state: "rolled_back", step: 1 }]);
  });

  it("keeps a scheduled change bound to what was scheduled, and ended ones as history (their outcome told once)", async () => {
    const id = "00000000-0000-4000-8000-0000000000a1";
    await db.query(
      `INSERT INTO scheduled_changes (id, kind, environment, strategy_name, config_id, expected_active, run_at, time_zone,
         summary, actor, created_by, state)
       VALUES ($1, 'activation', 'prod', 'S', $2, NULL, now() + interval '1 hour', 'UTC', 'activate', '{}', 'sql', 'pending')`,
      [id, v1],
    );
    // A rollout's steps only with a rollout; an end only with its time.
    await rejects("UPDATE scheduled_changes SET rollout = '{}' WHERE id = $1", [id]);
    await rejects("UPDATE scheduled_changes SET state = 'done' WHERE id = $1", [id]);
    // What it will do, and when, never changes.
    await rejects("UPDATE scheduled_changes SET run_at = now() WHERE id = $1", [id]);
    await rejects("UPDATE scheduled_changes SET config_id = 'v9-00000000' WHERE id = $1", [id]);
    await rejects(`UPDATE scheduled_changes SET actor = '{"roles": ["admin"]}' WHERE id = $1`, [id]);
    // Ended: its outcome told once, then history.
    await db.query("UPDATE scheduled_changes SET state = 'done', ended_at = now() WHERE id = $1", [id]);
    await db.query("UPDATE scheduled_changes SET outcome = 'applied' WHERE id = $1", [id]);
    await rejects("UPDATE scheduled_changes SET outcome = 'something else' WHERE id = $1", [id]);
    await rejects("UPDATE scheduled_changes SET state = 'pending', ended_at = NULL WHERE id = $1", [id]);
    await expect(db.query("DELETE FROM scheduled_changes WHERE id = $1", [id])).rejects.toThrow(/history/);
    await expect(db.query("TRUNCATE scheduled_changes")).rejects.toThrow(/history/);
  });
});
