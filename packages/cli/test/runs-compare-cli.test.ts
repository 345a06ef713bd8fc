/**
 * `tradai runs compare A B` against a real `tradai serve` process: the verdict first, then the
 * reasons key by key, then the metrics; `--json` for the raw answer; exit 0 whatever the verdict,
 * 1 when the server refuses. No launcher: the runs stay queued, without metrics.
 */
import type { RunComparison } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminFetch } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { SEED_BACKTEST } from "../../../test-support/backtest-requests.js";
import { type CliTestServer, startCliTestServer } from "../../../test-support/server-process.js";

const STRATEGY = "CompareCli";
const REQUEST = { ...SEED_BACKTEST, strategy: STRATEGY, task_definition: "tradai-strategy-stochrsi", stoploss: -0.02 };

let t: CliTestServer;

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await adminFetch(`${t.server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(answer)).toBeLessThan(300);
  return answer;
}
const submit = async (config: Record<string, unknown> = {}) =>
  (await post("/api/v1/backtests", { config: { ...REQUEST, ...config } })).job_id as string;

describe(`tradai runs compare (${backend})`, () => {
  let base: string;

  beforeAll(async () => {
    t = await startCliTestServer();
    const forStrategy = { strategies: [STRATEGY] };
    await post("/api/v1/catalog", { name: "stoploss", type: "number", description: "Stop", ...forStrategy });
    // `catalog set --comparability ignore`: runs that differ only in the stake still compare.
    const created = t.ok(
      await t.cli(
        ...["catalog", "set", "stake_amount", "--type", "number", "--description", "What each trade stakes"],
        ...["--comparability", "ignore", "--strategies", STRATEGY],
      ),
    );
    expect(created).toMatch(/^Created stake_amount: catalog revision \d+/);
    base = await submit();
  });
  afterAll(() => t?.close());

  it("strict: a re-run; the verdict, both runs, no differences, no metrics yet", async () => {
    const rerun = (await post(`/api/v1/backtests/${base}/rerun`, {})).job_id as string;
    const lines = t
      .ok(await t.cli("runs", "compare", base, rerun))
      .trimEnd()
      .split("\n");
    expect(lines[0]).toBe("verdict: STRICT");
    expect(lines[1]).toMatch(/^strict: both runs used the same parameter set/);
    expect(lines[2]).toMatch(
      new RegExp(
        `^A ${base} \\(${STRATEGY}, no config version, code @tradai/reference-worker@\\d+\\.\\d+\\.\\d+, parameter set [0-9a-f]{12}\\)$`,
      ),
    );
    expect(lines[3]).toMatch(new RegExp(`^B ${rerun} `));
    expect(lines.slice(4)).toEqual(["", "no differences", "", "(no metrics: neither run reported any)"]);
  });

  it("relaxed: the ignorable stake; a row per reason with why", async () => {
    const halfStake = await submit({ stake_amount: 500 });
    const out = t.ok(await t.cli("runs", "compare", base, halfStake));
    const lines = out.split("\n");
    expect(lines[0]).toBe("verdict: RELAXED");
    const header = lines.findIndex((l) => l.startsWith("KEY "));
    expect(lines[header]?.split(/\s{2,}/)).toEqual(["KEY", "EFFECT", "KIND", "A", "B", "WHY"]);
    const row = lines[header + 1]?.split(/\s{2,}/) ?? [];
    expect(row.slice(0, 5)).toEqual(["stake_amount", "relaxed", "ignored_value", "1000", "500"]);
    expect(row[5]).toContain('the catalog marks it "comparability: ignore" in both runs');
  });

  it("forbidden: a different value, exit 0 all the same; --json gives the raw answer", async () => {
    const wider = await submit({ stoploss: -0.05 });
    const human = await t.cli("runs", "compare", base, wider);
    expect(human.code).toBe(0);
    expect(human.stdout.split("\n")[0]).toBe("verdict: FORBIDDEN");
    expect(human.stdout).toMatch(
      /^stoploss {2,}forbidden {2,}value {2,}-0\.02 {2,}-0\.05 {2,}stoploss is -0\.02 in run A/m,
    );

    const json = await t.cli("--json", "runs", "compare", base, wider);
    expect(json.code).toBe(0);
    const answer = JSON.parse(json.stdout) as RunComparison;
    expect(answer).toMatchObject({
      verdict: "forbidden",
      a: { job_id: base },
      b: { job_id: wider },
      reasons: [{ key: "stoploss", kind: "value", effect: "forbidden", a: -0.02, b: -0.05 }],
      metrics: [],
    });
  });

  it("an unknown run is the server's refusal: exit 1 with the problem naming the field", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    const result = await t.cli("runs", "compare", base, unknown);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`b: no run ${unknown}`);
    const malformed = await t.cli("runs", "compare", "not-a-job", base);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/a must be a job id \(UUID\)/);
  });

  it("--help says the exit status does not depend on the verdict", async () => {
    const help = t.ok(await t.cli("runs", "compare", "--help"));
    expect(help).toContain("Exit status: 0 whatever the verdict (forbidden is an answer, not an error)");
  });
});
