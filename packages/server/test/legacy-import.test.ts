/**
 * Importing the legacy configuration (issue 17): the base row and its history become versions of
 * one strategy, with their original authors, times and comments, the newest active in one
 * environment. A dry run writes nothing; apply is one governed change; a second apply changes
 * nothing; a row the catalog refuses is named and nothing is written; the superset check refuses a
 * lossy mapping; an environment that needs approval gets a change request.
 */
import { ApiProblemError } from "@tradai/client";
import { contentHash, type LegacyDbImportBody, type LegacyRow } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";
import { checkSuperset } from "../src/features/imports/legacy-apply.js";
import { planLegacyImport } from "../src/features/imports/legacy-plan.js";

const S = "FTF";
const AUTHORS = ["alice", "bob", "carol", "dmitri"];

/**
 * A legacy history like a real one: 60 parameters, 300 rows by 4 authors, one change each (so every
 * row differs from the one before), a revert every 25 rows (back to the row 3 before), and a key
 * renamed at row 150 (`rsi_len` becomes `rsi_period`).
 */
function legacyHistory(): { history: LegacyRow[]; current: LegacyRow } {
  let values: Record<string, unknown> = {};
  for (let k = 0; k < 60; k++) values[`param_${String(k).padStart(2, "0")}`] = k % 3 === 0 ? `mode_${k}` : k / 10;
  values.rsi_len = 14;
  const history: LegacyRow[] = [];
  const start = Date.parse("2025-06-01T08:00:00Z");
  for (let i = 0; i < 300; i++) {
    if (i > 0 && i % 25 === 0) values = structuredClone(history[i - 3]?.values as Record<string, unknown>);
    else if (i === 150) {
      const { rsi_len, ...rest } = values;
      values = { ...rest, rsi_period: rsi_len };
    } else values = { ...values, [`param_${String(i % 60).padStart(2, "0")}`]: i / 7 };
    history.push({
      values: structuredClone(values),
      author: AUTHORS[i % AUTHORS.length] as string,
      time: new Date(start + i * 3_600_000).toISOString(),
      comment: i % 25 === 0 && i > 0 ? `revert to row ${i - 2}` : `tuning ${i}`,
      source_id: String(1000 + i),
    });
  }
  return { history, current: { values: structuredClone(values), author: "alice", time: null, comment: null } };
}

describe(`legacy import (${backend})`, () => {
  let p: TestPlatform;
  const { history, current } = legacyHistory();
  const body = (extra: Partial<LegacyDbImportBody> = {}) => ({
    strategy: S,
    environment: "staging",
    source: "postgres://legacy-db/ftf (ftf_config, ftf_config_history)",
    history,
    current,
    ...extra,
  });
  const counts = async () =>
    (
      await p.db.query<{ versions: number; audit: number; events: number; imports: number }>(
        `SELECT (SELECT count(*)::int FROM config_versions) AS versions, (SELECT count(*)::int FROM audit_entries) AS audit,
           (SELECT count(*)::int FROM config_events) AS events, (SELECT count(*)::int FROM imports) AS imports`,
      )
    ).rows[0];
  const distinct = new Set(history.map((r) => contentHash(r.values as never))).size;

  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.close();
  });

  it("a dry run answers the plan and writes nothing", async () => {
    const before = await counts();
    const plan = await p.api.importLegacyDb(body());
    expect(plan).toMatchObject({
      outcome: "planned",
      import_id: null,
      strategy: S,
      environment: "staging",
      versions_created: distinct,
      activation: { action: "activate", previous: null },
    });
    expect(plan.steps).toHaveLength(301);
    // A revert maps to the version of the row it went back to; the current row to the last one.
    expect(plan.steps[25]).toMatchObject({ row: 26, action: "same_as_row", of_row: 23, author: "bob" });
    expect(plan.steps[25]?.config_id).toBe(plan.steps[22]?.config_id);
    expect(plan.steps.at(-1)).toMatchObject({ row: "current", action: "same_as_row", of_row: 300 });
    expect(plan.steps[0]).toMatchObject({ row: 1, action: "create", config_id: expect.stringMatching(/^v1-/) });
    expect(await counts()).toEqual(before);
    // A long history is far above the API's 1 MiB bodies: the import takes it (here about 2 MiB).
    const long = { ...body(), history: [...history, ...history, ...history, ...history, ...history] };
    expect(JSON.stringify(long).length).toBeGreaterThan(1024 * 1024);
    expect((await p.api.importLegacyDb(long)).steps).toHaveLength(1501);
  });

  it("apply makes every row a version with its author, time and comment, the newest active; a second apply changes nothing", async () => {
    const before = await counts();
    const applied = await p.api.importLegacyDb(body({ apply: true }));
    expect(applied).toMatchObject({ outcome: "applied", import_id: expect.any(String), versions_created: distinct });
    const after = await counts();
    expect(after).toMatchObject({
      versions: (before?.versions ?? 0) + distinct,
      imports: (before?.imports ?? 0) + 1,
      events: (before?.events ?? 0) + 1, // the activation
    });
    // One audit entry per version, the activation, and the import.
    expect(after?.audit).toBe((before?.audit ?? 0) + distinct + 2);
    const newest = applied.activation.config_id as string;
    const active = await p.api.resolve(S, { environment: "staging" });
    expect(active.config_version_id).toBe(newest);
    expect(active.values).toEqual(current.values);
    // The original author, time and comment, marked as imported.
    const first = await p.api.showConfig(S, applied.steps[0]?.config_id as string);
    expect(first.imported).toEqual({
      imported_from: "postgres://legacy-db/ftf (ftf_config, ftf_config_history)",
      legacy_author: "alice",
      legacy_time: "2025-06-01T08:00:00.000Z",
      legacy_comment: "tuning 0",
    });
    expect(first.config_data).toEqual(history[0]?.values);
    const audit = await p.api.listAudit({ action: "import.apply" });
    expect(audit.items[0]).toMatchObject({ target_id: applied.import_id });
    const creates = await p.api.listAudit({
      action: "config.create",
      target_id: `${S}/${applied.steps[1]?.config_id}`,
    });
    expect(creates.items[0]?.after).toMatchObject({
      legacy_author: "bob",
      imported_from: expect.stringContaining("legacy-db"),
    });
    // The import keeps every row, reverts included.
    const kept = await p.api.getImport(applied.import_id as string);
    expect(kept.steps).toHaveLength(301);
    expect(kept.applied_by).toBe("admin");

    const again = await p.api.importLegacyDb(body({ apply: true }));
    expect(again).toMatchObject({
      outcome: "unchanged",
      versions_created: 0,
      activation: { action: "already_active" },
    });
    expect(again.summary).toMatch(/^nothing to change/);
    expect(await counts()).toEqual(after);
  });

  it("a row the catalog refuses is named (row and field), and nothing is written", async () => {
    // FTF2 keeps keys the catalog does not describe (open), and bounds param_07: rows break the bound.
    await p.approved(p.api.setCatalogPolicy("FTF2", "open"));
    await p.api.createParameter({
      name: "param_07",
      type: "number",
      min: 0,
      max: 1,
      description: "A bounded one",
      strategies: ["FTF2"],
    });
    const before = await counts();
    const error = await p.api
      .importLegacyDb(body({ strategy: "FTF2", apply: true }))
      .catch((e: unknown) => e as ApiProblemError);
    expect(error).toBeInstanceOf(ApiProblemError);
    expect((error as ApiProblemError).problem.status).toBe(422);
    expect((error as ApiProblemError).problem.errors?.[0]?.field).toMatch(/^history\[\d+\]\.values\.param_07$/);
    expect(await counts()).toEqual(before);
  });

  it("the superset check refuses a lossy mapping: a row mapped to a version with other content", async () => {
    const { plan, rows } = await planLegacyImport(p.db, { ...body(), apply: false }, "staging");
    const lossy = {
      ...plan,
      steps: plan.steps.map((s, i) => (i === 5 ? { ...s, config_id: plan.steps[4]?.config_id as string } : s)),
    };
    await expect(checkSuperset(p.db, lossy, rows)).rejects.toThrow(/legacy row 6 is not kept byte-equal/);
    await expect(checkSuperset(p.db, plan, rows)).resolves.toBeUndefined();
  });

  it("into an environment that needs approval: a change request, applied once approved", async () => {
    const before = await counts();
    const proposed = await p.api.importLegacyDb(body({ environment: "prod", apply: true }));
    expect(proposed).toMatchObject({ outcome: "proposed", change_request_id: expect.any(Number) });
    expect((await counts())?.imports).toBe(before?.imports);
    const approver = await p.user("importer-approver", "approver");
    await p.as(approver).approveChangeRequest(proposed.change_request_id as number);
    expect((await p.api.resolve(S, { environment: "prod" })).values).toEqual(current.values);
    expect((await counts())?.imports).toBe((before?.imports ?? 0) + 1);
  });

  it("undo restores the exact state before the import, through history; once; and not where nothing was active before", async () => {
    const own = (await p.api.createConfig({ strategy_name: "FTF6", config_data: { mode: "own", stoploss: -0.1 } }))
      .config_id;
    await p.api.activate("FTF6", own, { environment: "dev" });
    const before = await p.api.resolve("FTF6", { environment: "dev" });
    const applied = await p.api.importLegacyDb({
      strategy: "FTF6",
      environment: "dev",
      source: "legacy.json",
      history: history.slice(0, 5),
      apply: true,
    });
    expect(applied.activation).toMatchObject({ action: "activate", previous: own });
    expect((await p.api.resolve("FTF6", { environment: "dev" })).resolved_hash).not.toBe(before.resolved_hash);

    const undone = await p.api.undoImport(applied.import_id as string);
    expect(undone).toMatchObject({ reactivated: own, deprecated: applied.steps.map((s) => s.config_id) });
    const after = await p.api.resolve("FTF6", { environment: "dev" });
    expect([after.config_version_id, after.resolved_hash]).toEqual([before.config_version_id, before.resolved_hash]);
    const made = await p.api.showConfig("FTF6", applied.steps[0]?.config_id as string, { environment: "dev" });
    expect(made).toMatchObject({ explicitly_deprecated: true, imported: { legacy_author: "alice" } });
    expect((await p.api.getImport(applied.import_id as string)).undone_at).toEqual(expect.any(String));
    expect((await p.api.listAudit({ action: "import.undo" })).items[0]).toMatchObject({ target_id: applied.import_id });

    const twice = await p.api.undoImport(applied.import_id as string).catch((e: unknown) => e as ApiProblemError);
    expect((twice as ApiProblemError).problem).toMatchObject({
      status: 409,
      detail: expect.stringMatching(/undone already/),
    });
    // The first import (staging had nothing before it): undoing would leave nothing to resolve.
    const first = (await p.api.listImports()).items.find((i) => i.strategy === S && i.environment === "staging");
    const refused = await p.api.undoImport(first?.import_id as string).catch((e: unknown) => e as ApiProblemError);
    expect((refused as ApiProblemError).problem).toMatchObject({
      status: 409,
      detail: expect.stringMatching(/nothing was active for FTF in staging before the import/),
    });
  });
});
