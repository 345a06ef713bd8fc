/** @module bench/results/lighthouse.md: the scores and timings per page, and how they were measured. */
import { writeFileSync } from "node:fs";
import type { Measurement } from "./measure.js";
import { TARGETS } from "./targets.js";

const ms = (value: number) => `${(value / 1000).toFixed(2)} s`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export interface ReportContext {
  /** The command that measured. */
  command: string;
  /** How the runs of a page were reduced to the row shown. */
  method: string;
}

export function lighthouseReport(m: Measurement, { command, method }: ReportContext): string {
  const rows = m.results.map(({ page, chosen: a, runs: all }) =>
    [
      `${page.label} (\`${page.path.replace(/[0-9a-f-]{36}$/, ":job_id")}\`)`,
      `${a.performance} (${all.map((r) => r.performance).join(", ")})`,
      a.accessibility,
      a.bestPractices,
      ms(a.fcpMs),
      ms(a.lcpMs),
      `${Math.round(a.tbtMs)} ms`,
      a.cls.toFixed(3),
      ms(a.siMs),
      kb(a.jsBytes),
    ].join(" | "),
  );
  const notes = m.results
    .filter(({ chosen }) => chosen.failing.length > 0)
    .map(({ page, chosen }) => `- ${page.label}: ${chosen.failing.join(", ")}`);
  return [
    "# Console performance: Lighthouse, mobile preset",
    "",
    `- date: ${m.date}`,
    `- command: \`${command}\``,
    `- Lighthouse ${m.lighthouseVersion}, ${m.chromiumVersion} (Debian's Chromium, headless)`,
    `- machine: ${m.cpus} CPUs, load average ${m.load.map((l) => l.toFixed(1)).join(" before, ")} after (other work inflates TBT and LCP)`,
    "- preset: mobile (Lighthouse's default: emulated mid-range phone, simulated slow 4G, 4x CPU slowdown)",
    `- ${method} (every run's performance score in brackets)`,
    `- targets: performance >= ${TARGETS.performance}, accessibility ${TARGETS.accessibility}, best practices >= ${TARGETS.bestPractices}, initial JS <= 250 KB`,
    "- the platform: `tradai serve` with demo data on embedded PGlite, signed in as the admin; the run is a finished backtest of the demo strategy",
    "- JS: the JavaScript the page load transferred, compressed (gzip or brotli as served)",
    "",
    "| page | performance | accessibility | best practices | FCP | LCP | TBT | CLS | SI | JS |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map((row) => `| ${row} |`),
    "",
    ...(notes.length > 0 ? ["Scored audits below 0.9 in the reported run:", "", ...notes, ""] : []),
  ].join("\n");
}

export function writeLighthouseReport(path: string, m: Measurement, context: ReportContext): void {
  writeFileSync(path, lighthouseReport(m, context));
}
