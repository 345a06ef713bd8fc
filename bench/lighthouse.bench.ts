/**
 * `npm run lighthouse` (issue 22): Lighthouse's mobile preset on five console pages (sign-in,
 * dashboard, strategy editor, runs list, run detail) against `tradai serve` with demo data; writes
 * bench/results/lighthouse.md. Progress goes to stderr (a run takes a few minutes).
 */
import { join } from "node:path";
import { RESULTS_DIR } from "./lib/harness.js";
import { measure } from "./lighthouse/measure.js";
import type { PageName } from "./lighthouse/pages.js";
import { writeLighthouseReport } from "./lighthouse/report.js";

const RUNS = Number(process.env.TRADAI_LIGHTHOUSE_RUNS ?? 3);
/** Some pages only (comma-separated: sign-in, dashboard, editor, runs, run); all five by default. */
const PAGES = process.env.TRADAI_LIGHTHOUSE_PAGES?.split(",") as PageName[] | undefined;
/** A directory to keep every audit's whole Lighthouse report in (JSON; open it in the Lighthouse viewer). */
const REPORTS = process.env.TRADAI_LIGHTHOUSE_REPORTS;
const log = (line: string) => process.stderr.write(`[lighthouse] ${line}\n`);

const measurement = await measure({ pages: PAGES, runs: RUNS, pick: "median", log, reportsDir: REPORTS });
const path = join(RESULTS_DIR, "lighthouse.md");
writeLighthouseReport(path, measurement, {
  command: "npm run lighthouse",
  method: `${RUNS} runs per page; the row shows the median run by performance score`,
});
log(`wrote ${path}`);
