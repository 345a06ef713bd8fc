/**
 * @module Legacy import benchmark (issue 17): 10,000 history rows of a 60-parameter legacy
 * configuration, by 4 authors, with a revert every 25 rows, imported over HTTP into the real
 * platform on PGlite and on a PostgreSQL server started here: the dry run (plan), the apply (one
 * governed change: every version, its audit entry, the activation, the superset check) and the
 * second apply (nothing to change). Writes bench/results/import.json and .md.
 * Run with `npm run bench:import`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ImportPlan, LegacyRow } from "@tradai/core";
import { BACKENDS, benchFetch, machine, post, RESULTS_DIR, round, startOn } from "./lib/harness.js";

const ROWS = 10_000;

function history(): LegacyRow[] {
  let values: Record<string, unknown> = {};
  for (let k = 0; k < 60; k++) values[`param_${String(k).padStart(2, "0")}`] = k % 3 === 0 ? `mode_${k}` : k / 10;
  const rows: LegacyRow[] = [];
  const start = Date.parse("2023-01-01T00:00:00Z");
  for (let i = 0; i < ROWS; i++) {
    if (i > 0 && i % 25 === 0) values = structuredClone(rows[i - 3]?.values as Record<string, unknown>);
    else values = { ...values, [`param_${String(i % 60).padStart(2, "0")}`]: i / 7 };
    rows.push({
      values: structuredClone(values),
      author: ["alice", "bob", "carol", "dmitri"][i % 4] as string,
      time: new Date(start + i * 600_000).toISOString(),
      comment: `change ${i}`,
      source_id: String(i + 1),
    });
  }
  return rows;
}

async function timed(url: string, body: unknown): Promise<{ seconds: number; plan: ImportPlan }> {
  const started = performance.now();
  const response = await benchFetch(`${url}/api/v1/imports/legacy-db`, post(body));
  const plan = (await response.json()) as ImportPlan;
  if (!response.ok) throw new Error(`import answered ${response.status}: ${JSON.stringify(plan).slice(0, 500)}`);
  return { seconds: (performance.now() - started) / 1000, plan };
}

async function main() {
  const rows = history();
  const body = { strategy: "FTF", environment: "dev", source: "bench", history: rows, current: rows.at(-1) };
  const results = [];
  for (const backend of BACKENDS) {
    const { platform, detail, stop } = await startOn(backend);
    try {
      const url = platform.url;
      process.stderr.write(`${backend}: dry run of ${ROWS} rows...\n`);
      const dry = await timed(url, body);
      process.stderr.write(`${backend}: apply...\n`);
      const apply = await timed(url, { ...body, apply: true });
      process.stderr.write(`${backend}: apply again...\n`);
      const again = await timed(url, { ...body, apply: true });
      if (apply.plan.outcome !== "applied" || again.plan.outcome !== "unchanged") {
        throw new Error(`unexpected outcomes: ${apply.plan.outcome}, ${again.plan.outcome}`);
      }
      results.push({
        backend,
        detail,
        rows: ROWS,
        versions_created: apply.plan.versions_created,
        dry_run_seconds: round(dry.seconds, 2),
        apply_seconds: round(apply.seconds, 2),
        apply_rows_per_second: round(ROWS / apply.seconds, 0),
        second_apply_seconds: round(again.seconds, 2),
      });
    } finally {
      await stop();
    }
  }
  const report = { machine: machine(), results };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, "import.json"), `${JSON.stringify(report, null, 2)}\n`);
  const md = [
    "# Legacy import: 10,000 history rows",
    "",
    `${report.machine.date}, Node ${report.machine.node}, ${report.machine.cpus} × ${report.machine.cpu_model}. \`npm run bench:import\`.`,
    "",
    "60 parameters, 4 authors, a revert every 25 rows (400 rows map to an earlier row's version). One request each: the dry run plans, the apply writes every version with its audit entry, the activation and the import's record in one governed change after the superset check, the second apply finds nothing to change.",
    "",
    "| backend | versions made | dry run (s) | apply (s) | rows/s applied | second apply (s) |",
    "|---|---|---|---|---|---|",
    ...results.map(
      (r) =>
        `| ${r.backend} | ${r.versions_created} | ${r.dry_run_seconds} | ${r.apply_seconds} | ${r.apply_rows_per_second} | ${r.second_apply_seconds} |`,
    ),
    "",
    ...results.map((r) => `- ${r.backend}: ${r.detail}`),
    "",
  ].join("\n");
  writeFileSync(join(RESULTS_DIR, "import.md"), md);
  process.stdout.write(md);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
