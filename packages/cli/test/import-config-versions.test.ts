/**
 * `tradai import config-versions` against a real `tradai serve` process: a DynamoDB JSON export of
 * the legacy config-versions table (typed attribute values, as `aws dynamodb scan` writes it) and the
 * strategies' YAML configs in an S3 bucket (a local S3-compatible server, listed in pages). Ids,
 * statuses and superseded chains are kept where consistent; each inconsistency is reported; the dry
 * run writes nothing; a second --apply changes nothing; undo works per strategy; bad input is named.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { marshall } from "@aws-sdk/util-dynamodb";
import { contentHash, formatConfigId } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminFetch, basicAuthorization } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { type FakeS3, startFakeS3 } from "../../../test-support/fake-s3.js";
import { type CliTestServer, runCli, startCliTestServer } from "../../../test-support/server-process.js";

let t: CliTestServer;
let s3: FakeS3;
let exportFile: string;

const AWS = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "eu-central-1" };
const cli = (...args: string[]) => runCli(args, { url: t.server.url, env: AWS });

interface Item {
  strategy_name: string;
  config_id: string;
  config_hash: string;
  config_data: Record<string, unknown>;
  status: string;
  version_number: number;
  created_by: string;
  created_at: string;
  deployed_at?: string;
  deprecated_at?: string;
  superseded_by?: string;
  ttl?: number;
}

/** An item as the legacy service wrote it: id `v{N}-{hash8}`, hash the SHA-256 of the canonical JSON. */
function item(strategy: string, n: number, data: Record<string, unknown>, status: string, extra: Partial<Item> = {}) {
  const hash = contentHash(data as never);
  return {
    strategy_name: strategy,
    config_id: formatConfigId(n, hash),
    config_hash: hash,
    config_data: data,
    status,
    version_number: n,
    created_by: `ops-${n % 2 ? "anna" : "ben"}`,
    created_at: new Date(Date.UTC(2025, 2, n)).toISOString(),
    ...extra,
  } satisfies Item;
}

const rsi = (period: number) => ({ timeframe: "1h", rsi_period: period, stoploss: -0.1 });
const id = (_strategy: string, n: number, data: Record<string, unknown>) =>
  formatConfigId(n, contentHash(data as never));

/**
 * StochRsiStrategy: v1 → v2 → v4 → v5 (ACTIVE), v6 a DRAFT, v3 expired (TTL); v2's hash is wrong.
 * MomentumStrategy: two ACTIVE items; its S3 file differs from the newer. MeanRevert: only a file.
 * Orphan: superseded by a missing id, a chain that goes round, nothing ACTIVE, no file.
 */
function registry(): Item[] {
  const stoch = [
    item("StochRsiStrategy", 1, rsi(14), "DEPRECATED", { superseded_by: `v2-${"f".repeat(8)}` }),
    {
      ...item("StochRsiStrategy", 2, rsi(10), "DEPRECATED", { superseded_by: id("StochRsiStrategy", 4, rsi(12)) }),
      config_hash: "f".repeat(64),
      config_id: `v2-${"f".repeat(8)}`,
    },
    item("StochRsiStrategy", 4, rsi(12), "DEPRECATED", {
      superseded_by: id("StochRsiStrategy", 5, rsi(16)),
      ttl: 1_760_000_000,
    }),
    item("StochRsiStrategy", 5, rsi(16), "ACTIVE", { deployed_at: "2025-03-05T09:00:00Z" }),
    item("StochRsiStrategy", 6, rsi(18), "DRAFT"),
  ];
  const momentum = [
    item("MomentumStrategy", 1, { lookback: 20 }, "ACTIVE", { deployed_at: "2025-03-01T00:00:00Z" }),
    item("MomentumStrategy", 2, { lookback: 30 }, "ACTIVE", { deployed_at: "2025-04-01T00:00:00Z" }),
  ];
  const orphan = [
    item("Orphan", 1, { k: 1 }, "DEPRECATED", { superseded_by: "v9-00000000" }),
    item("Orphan", 2, { k: 2 }, "DEPRECATED", { superseded_by: id("Orphan", 3, { k: 3 }) }),
    item("Orphan", 3, { k: 3 }, "DEPRECATED", { superseded_by: id("Orphan", 2, { k: 2 }) }),
  ];
  // Scan order is not version order.
  return [...orphan, ...momentum.reverse(), ...stoch.reverse()];
}

beforeAll(async () => {
  t = await startCliTestServer();
  s3 = await startFakeS3();
  exportFile = join(t.files, "config-versions.json");
  const items = registry().map((i) => marshall(i, { removeUndefinedValues: true }));
  writeFileSync(exportFile, JSON.stringify({ Items: items, Count: items.length, ScannedCount: items.length }));
  s3.objects.set(
    "tradai-configs-prod/strategies/StochRsiStrategy.yaml",
    "timeframe: 1h\nrsi_period: 16\nstoploss: -0.1\n",
  );
  s3.objects.set("tradai-configs-prod/strategies/MomentumStrategy.yml", "lookback: 35 # hand-edited in the bucket\n");
  s3.objects.set("tradai-configs-prod/strategies/MeanRevert.yaml", "band: 2.5\nwindow: 40\n");
  s3.objects.set("tradai-configs-prod/strategies/README.txt", "not a config");
  s3.objects.set("tradai-configs-prod/strategies/archive/Old.yaml", "a: 1\n");
});

afterAll(async () => {
  await s3?.close();
  await t?.close();
});

describe(`tradai import config-versions (${backend})`, () => {
  const source = () => ["--dynamodb-export", exportFile, "--s3", "s3://tradai-configs-prod/strategies/"];
  const importCv = (...args: string[]) =>
    cli("--json", "import", "config-versions", ...source(), "--s3-endpoint", s3.url, "--env", "prod", ...args);

  it("plans by default and writes nothing; reports every inconsistency; keeps consistent ids", async () => {
    const dry = await cli("import", "config-versions", ...source(), "--s3-endpoint", s3.url, "--env", "prod");
    expect(dry.stderr).toContain("read 10 registry item(s) and 3 YAML config(s)");
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("DRY RUN: nothing was written");
    expect(dry.stdout).toMatch(/v5-\S+ \(kept\)/);
    expect((await cli("config", "list", "StochRsiStrategy")).code).toBe(1); // nothing written

    const result = JSON.parse(t.ok(await importCv()));
    expect(result.outcome).toBe("planned");
    const plan = (s: string) => result.plans.find((p: { strategy: string }) => p.strategy === s);
    expect(result.plans.map((p: { strategy: string }) => p.strategy)).toEqual([
      "MeanRevert",
      "MomentumStrategy",
      "Orphan",
      "StochRsiStrategy",
    ]);

    const stoch = plan("StochRsiStrategy");
    const v = (n: number, data: Record<string, unknown>) => id("StochRsiStrategy", n, data);
    expect(stoch.steps.map((s: { config_id: string }) => s.config_id)).toEqual([
      v(1, rsi(14)),
      v(2, rsi(10)), // its legacy id (hash ffff…) was not consistent: a new one
      v(4, rsi(12)),
      v(5, rsi(16)),
      v(6, rsi(18)),
      v(5, rsi(16)), // the file equals the ACTIVE item
    ]);
    expect(stoch.steps[1]).toMatchObject({ legacy_id: `v2-${"f".repeat(8)}`, legacy_status: "DEPRECATED" });
    expect(stoch.steps.map((s: { superseded_by: string | null }) => s.superseded_by)).toEqual([
      v(2, rsi(10)),
      v(4, rsi(12)),
      v(5, rsi(16)),
      null,
      null,
      null,
    ]);
    expect(stoch.activation).toMatchObject({ action: "activate", config_id: v(5, rsi(16)) });
    expect(stoch.inconsistencies.map((i: { kind: string }) => i.kind)).toEqual(["hash_mismatch"]);

    const momentum = plan("MomentumStrategy");
    expect(momentum.inconsistencies.map((i: { kind: string }) => i.kind)).toEqual(["several_active", "file_differs"]);
    expect(momentum.steps.at(-1)).toMatchObject({ row: "current", action: "create", legacy_status: "FILE" });
    expect(momentum.activation.config_id).toBe(id("MomentumStrategy", 3, { lookback: 35 }));

    expect(plan("MeanRevert").activation).toMatchObject({
      action: "activate",
      config_id: id("MeanRevert", 1, { band: 2.5, window: 40 }),
    });
    const orphan = plan("Orphan");
    expect(orphan.inconsistencies.map((i: { kind: string }) => i.kind)).toEqual([
      "superseded_missing",
      "superseded_cycle",
      "no_active",
    ]);
    expect(orphan.activation.action).toBe("none");

    // --prefer registry: the ACTIVE item stays what becomes active, the file is kept as a version.
    const preferred = JSON.parse(t.ok(await importCv("--prefer", "registry")));
    const m = preferred.plans.find((p: { strategy: string }) => p.strategy === "MomentumStrategy");
    expect(m.activation.config_id).toBe(id("MomentumStrategy", 2, { lookback: 30 }));
    expect(m.versions_created).toBe(3);
  });

  it("--apply in prod is a change request; once approved every strategy is imported with its provenance; a second --apply changes nothing; undo is per strategy", async () => {
    const proposed = JSON.parse(t.proposed(await importCv("--apply")));
    expect(proposed).toMatchObject({ outcome: "proposed", change_request_id: expect.any(Number) });
    expect((await cli("config", "list", "StochRsiStrategy")).code).toBe(1); // waits for approval
    await adminFetch(`${t.server.url}/api/v1/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "reviewer", role: "approver", password: "reviewer-password-0" }),
    });
    const approved = await fetch(`${t.server.url}/api/v1/change-requests/${proposed.change_request_id}/approve`, {
      method: "POST",
      headers: { authorization: basicAuthorization("reviewer", "reviewer-password-0") },
    });
    expect((await approved.json()).status).toBe("applied");

    const versions = JSON.parse(t.ok(await cli("--json", "config", "list", "StochRsiStrategy"))).items as {
      config_id: string;
      imported: { legacy_author: string | null; legacy_comment: string | null } | null;
    }[];
    expect(versions.map((x) => x.config_id).sort()).toEqual(
      [id("StochRsiStrategy", 1, rsi(14)), id("StochRsiStrategy", 2, rsi(10)), id("StochRsiStrategy", 4, rsi(12))]
        .concat([id("StochRsiStrategy", 5, rsi(16)), id("StochRsiStrategy", 6, rsi(18))])
        .sort(),
    );
    const v4 = versions.find((x) => x.config_id.startsWith("v4-"));
    expect(v4?.imported).toMatchObject({ legacy_author: "ops-ben" });
    expect(v4?.imported?.legacy_comment).toContain("DEPRECATED in the legacy registry");
    const resolved = JSON.parse(t.ok(await cli("--json", "config", "explain", "StochRsiStrategy", "--env", "prod")));
    expect(resolved.values).toEqual(rsi(16));

    const again = await cli(
      "import",
      "config-versions",
      ...source(),
      "--s3-endpoint",
      s3.url,
      "--env",
      "prod",
      "--apply",
    );
    expect(again.stdout).toContain("nothing to change");

    const listed = JSON.parse(t.ok(await cli("--json", "import", "list"))).items as {
      import_id: string;
      strategy: string;
      kind: string;
    }[];
    expect(listed.filter((i) => i.kind === "config-versions")).toHaveLength(4);
    const orphan = listed.find((i) => i.strategy === "Orphan") as { import_id: string };
    const undone = JSON.parse(t.ok(await cli("--json", "import", "undo", orphan.import_id)));
    expect(undone).toMatchObject({ reactivated: null });
    expect(undone.deprecated).toHaveLength(3);
  });

  it("bad input is named (the item and the field), and nothing is written", async () => {
    const bad = join(t.files, "bad.json");
    const broken = { ...item("BadStrategy", 1, { a: 1 }, "LIVE") };
    writeFileSync(bad, JSON.stringify({ Items: [marshall(broken)] }));
    const refused = await cli("import", "config-versions", "--dynamodb-export", bad, "--env", "prod", "--apply");
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/items\.0\.status|items\[0\]\.status/);
    expect(refused.stderr).toContain("DRAFT, ACTIVE or DEPRECATED");
    expect((await cli("config", "list", "BadStrategy")).code).toBe(1);

    writeFileSync(bad, "{ not json");
    const notJson = await cli("import", "config-versions", "--dynamodb-export", bad);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain("not valid JSON");
  });
});
