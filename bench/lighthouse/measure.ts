/**
 * @module One Lighthouse session: the platform with demo data, a signed-in admin, Chromium, and the
 * chosen pages audited a few times each. Shared by `npm run lighthouse` and the CI check
 * (packages/console/test/lighthouse.test.ts), so both measure the same way.
 */

import { cpus, loadavg } from "node:os";
import { auditor as newAuditor, type PageAudit } from "./audit.js";
import { type AuditedPage, auditedPages, type PageName } from "./pages.js";
import { startAuditedServer } from "./server.js";

export interface PageResult {
  page: AuditedPage;
  /** The run reported: the median by performance score, or the best (see `pick`). */
  chosen: PageAudit;
  runs: PageAudit[];
}

export interface Measurement {
  date: string;
  /** The machine's 1-minute load average before and after (other work slows the audits). */
  load: [number, number];
  cpus: number;
  chromiumVersion: string;
  lighthouseVersion: string;
  results: PageResult[];
}

export interface MeasureOptions {
  pages?: readonly PageName[];
  /** Audits per page (at most). */
  runs: number;
  /** `median`: the typical run (the report); `best`: the least disturbed one (a check on a busy machine). */
  pick: "median" | "best";
  /** Stops auditing a page early once a run satisfies this (the check needs only one good run). */
  enough?: (audit: PageAudit) => boolean;
  log?: (line: string) => void;
  /** Where to keep each audit's whole Lighthouse report (JSON), to see why a score is what it is. */
  reportsDir?: string;
}

export async function measure({
  pages,
  runs,
  pick,
  enough,
  log = () => {},
  reportsDir,
}: MeasureOptions): Promise<Measurement> {
  const loadBefore = loadavg()[0] ?? 0;
  log("starting tradai serve with demo data");
  const server = await startAuditedServer();
  try {
    log(`platform at ${server.url}; signing in${!pages || pages.includes("run") ? " and running a backtest" : ""}`);
    const audited = await auditedPages(server.url, pages);
    const auditor = newAuditor(reportsDir);
    const results: PageResult[] = [];
    for (const page of audited) {
      const done: PageAudit[] = [];
      for (let run = 1; run <= runs; run++) {
        log(`${page.label} (${page.path}): run ${run} of ${runs}`);
        const audit = await auditor.audit(server.url + page.path, page.headers);
        done.push(audit);
        log(
          `  performance ${audit.performance}, accessibility ${audit.accessibility}, best practices ${audit.bestPractices}, LCP ${Math.round(audit.lcpMs)} ms, TBT ${Math.round(audit.tbtMs)} ms, CLS ${audit.cls.toFixed(3)}`,
        );
        if (enough?.(audit)) break;
      }
      results.push({ page, chosen: choose(done, pick), runs: done });
    }
    return {
      date: new Date().toISOString(),
      load: [loadBefore, loadavg()[0] ?? 0],
      cpus: cpus().length,
      chromiumVersion: auditor.chromiumVersion,
      lighthouseVersion: auditor.lighthouseVersion,
      results,
    };
  } finally {
    await server.stop();
  }
}

function choose(runs: PageAudit[], pick: "median" | "best"): PageAudit {
  const sorted = [...runs].sort((a, b) => a.performance - b.performance);
  const chosen = pick === "best" ? sorted.at(-1) : sorted[Math.floor((sorted.length - 1) / 2)];
  if (!chosen) throw new Error("no Lighthouse run");
  return chosen;
}
