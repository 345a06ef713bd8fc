/** Run binding invariants, enforced by the database: tried with direct SQL. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { SEED_BACKTEST } from "../../../test-support/backtest-requests.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

describe(`run binding invariants (${backend})`, () => {
  let p: TestPlatform;
  let jobId: string;
  let hash: string;
  let versionId: string;

  beforeAll(async () => {
    p = await startTestPlatform({ TRADAI_DEPRECATED_TTL_DAYS: "0.000001" });
    versionId = (await p.api.createConfig({ strategy_name: "StochRsiStrategy", config_data: { stoploss: -0.02 } }))
      .config_id;
    const submitted = await p.api.submitBacktest({
      config: {
        ...SEED_BACKTEST,
        config_version_id: versionId,
      },
    });
    jobId = submitted.job_id;
    hash = submitted.parameter_set_hash;
  });
  afterAll(() => p.close());

  const insertRun = (parameterSetHash: string | null) =>
    p.db.query(
      `INSERT INTO runs (job_id, strategy_name, environment, parameter_set_hash, task_definition, launch_input, tags, submitted_by)
       VALUES (gen_random_uuid(), 'S', 'dev', $1, 't', '{}', '{}', 'sql')`,
      [parameterSetHash],
    );

  it("a run without a parameter set is rejected (NOT NULL)", async () => {
    await expect(insertRun(null)).rejects.toThrow(/null value|not-null/i);
  });

  it("a run pointing at a parameter set that does not exist is rejected (foreign key)", async () => {
    await expect(insertRun("f".repeat(64))).rejects.toThrow(/foreign key/i);
  });

  it("parameter sets cannot be changed or deleted", async () => {
    await expect(p.db.query(`UPDATE parameter_sets SET document = '{}' WHERE hash = $1`, [hash])).rejects.toThrow(
      /immutable/,
    );
    await expect(p.db.query("DELETE FROM parameter_sets WHERE hash = $1", [hash])).rejects.toThrow(/immutable/);
    const ps = await p.api.getParameterSet(hash);
    expect(ps.parameter_set.values.stoploss).toBe(-0.02);
  });

  it("a run cannot be re-bound, re-pointed or deleted", async () => {
    const other = "e".repeat(64);
    await expect(
      p.db.query("UPDATE runs SET parameter_set_hash = $2 WHERE job_id = $1", [jobId, other]),
    ).rejects.toThrow();
    await expect(
      p.db.query("UPDATE runs SET config_version_id = 'v9-00000000' WHERE job_id = $1", [jobId]),
    ).rejects.toThrow(/bound/);
    await expect(p.db.query(`UPDATE runs SET launch_input = '{}' WHERE job_id = $1`, [jobId])).rejects.toThrow(/bound/);
    await expect(p.db.query("DELETE FROM runs WHERE job_id = $1", [jobId])).rejects.toThrow(/history/);
  });

  it("a legacy run is ended, says where it came from, is registered once, and that stays so", async () => {
    const legacy = (fields: string, values: string) =>
      p.db.query(
        `INSERT INTO runs (job_id, kind, strategy_name, environment, parameter_set_hash, task_definition, launch_input, tags,
           submitted_by${fields}) VALUES (gen_random_uuid(), 'legacy', 'S', 'dev', $1, 'legacy', '{}', '{}', 'sql'${values})`,
        [hash],
      );
    const ended = ", status, finished_at";
    const endedValues = ", 'completed', now()";
    await expect(legacy(`${ended}`, `${endedValues}`)).rejects.toThrow(/runs_legacy_fields/);
    await expect(legacy(", legacy_source, legacy_id", ", 'x', '1'")).rejects.toThrow(/runs_legacy_ended/);
    await legacy(`${ended}, legacy_source, legacy_id`, `${endedValues}, 'x', '1'`);
    await expect(legacy(`${ended}, legacy_source, legacy_id`, `${endedValues}, 'x', '1'`)).rejects.toThrow(
      /runs_legacy_once/,
    );
    await expect(p.db.query("UPDATE runs SET legacy_id = '2' WHERE legacy_id = '1'")).rejects.toThrow(/bound/);
    // A backtest is no legacy run.
    await expect(
      p.db.query("UPDATE runs SET legacy_source = 'x', legacy_id = '3' WHERE job_id = $1", [jobId]),
    ).rejects.toThrow(/bound|runs_legacy_fields/);
  });

  it("a finished run stays finished", async () => {
    await p.api.cancelRun(jobId);
    await expect(
      p.db.query("UPDATE runs SET status = 'queued', finished_at = NULL WHERE job_id = $1", [jobId]),
    ).rejects.toThrow(/already ended/);
  });

  it("a version referenced by a run is never purged, even past its purge time", async () => {
    await p.api.deprecateConfig("StochRsiStrategy", versionId);
    await new Promise((r) => setTimeout(r, 200));
    const { rows } = await p.db.query<{ purged: number }>(
      "WITH d AS (DELETE FROM config_versions WHERE purge_after <= now() AND NOT config_version_is_referenced(id) RETURNING 1) SELECT count(*)::int AS purged FROM d",
    );
    expect(rows[0]?.purged).toBe(0);
    expect((await p.api.showConfig("StochRsiStrategy", versionId)).status).toBe("deprecated");
    // And the foreign key stops a direct delete too.
    await expect(p.db.query("DELETE FROM config_versions WHERE config_id = $1", [versionId])).rejects.toThrow(
      /foreign key/i,
    );
  });
});
