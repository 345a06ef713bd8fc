/**
 * @module Lighthouse's mobile preset (its default config: a mid-range phone, simulated slow 4G and
 * 4x CPU slowdown) on Debian's Chromium, never a downloaded browser; one page at a time.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch } from "chrome-launcher";
import lighthouse from "lighthouse";

export const CHROMIUM = process.env.TRADAI_TEST_CHROMIUM ?? "/usr/bin/chromium";

/** Off the network (no updates, no sync) and able to run as root in a container. */
const CHROMIUM_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

export interface PageAudit {
  performance: number;
  accessibility: number;
  bestPractices: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  siMs: number;
  /** JavaScript the page load transferred, compressed, in bytes. */
  jsBytes: number;
  /** The audits of the three categories that scored below 0.9, for the report. */
  failing: string[];
}

export interface Auditor {
  chromiumVersion: string;
  lighthouseVersion: string;
  audit(url: string, headers: Record<string, string>): Promise<PageAudit>;
}

/**
 * Each audit gets its own Chromium on a fresh profile: nothing cached or stored carries over from
 * one audit to the next.
 */
export function auditor(reportsDir?: string): Auditor {
  let saved = 0;
  const self: Auditor = {
    chromiumVersion: "",
    lighthouseVersion: "",
    async audit(url, headers) {
      // Lighthouse 12 with a newer Chromium now and then loses the navigation in its trace
      // (NO_NAVSTART, "run Lighthouse again"): a fresh browser runs the audit again, at most twice.
      for (let attempt = 1; ; attempt++) {
        const { lhr, browser } = await auditOnce(url, headers);
        self.chromiumVersion = browser;
        if (reportsDir) {
          mkdirSync(reportsDir, { recursive: true });
          const name = new URL(url).pathname.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "dashboard";
          writeFileSync(join(reportsDir, `${String(++saved).padStart(2, "0")}-${name}.json`), JSON.stringify(lhr));
        }
        if (!lhr.runtimeError) {
          self.lighthouseVersion = lhr.lighthouseVersion;
          return summarise(lhr);
        }
        if (attempt === 3 || lhr.runtimeError.code !== "NO_NAVSTART")
          throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.message}`);
      }
    },
  };
  return self;
}

type Result = NonNullable<Awaited<ReturnType<typeof lighthouse>>>["lhr"];

async function auditOnce(url: string, headers: Record<string, string>): Promise<{ lhr: Result; browser: string }> {
  const profile = mkdtempSync(join(tmpdir(), "tradai-lighthouse-chromium-"));
  const chrome = await launch({
    chromePath: CHROMIUM,
    chromeFlags: CHROMIUM_FLAGS,
    userDataDir: profile,
    logLevel: "silent",
  });
  try {
    // The full version (the user agent Lighthouse reports is reduced to "156.0.0.0").
    const version = (await (await fetch(`http://127.0.0.1:${chrome.port}/json/version`)).json()) as { Browser: string };
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices"],
      extraHeaders: headers,
    });
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    return { lhr: result.lhr, browser: version.Browser };
  } finally {
    chrome.kill();
    rmSync(profile, { recursive: true, force: true });
  }
}

function summarise(lhr: Result): PageAudit {
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  const value = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  const requests = (lhr.audits["network-requests"]?.details as { items?: Record<string, unknown>[] } | undefined)
    ?.items;
  const jsBytes = (requests ?? [])
    .filter((request) => request.resourceType === "Script")
    .reduce((sum, request) => sum + Number(request.transferSize ?? 0), 0);
  const categories = ["performance", "accessibility", "best-practices"].map((id) => lhr.categories[id]);
  const failing = Object.values(lhr.audits)
    .filter((audit) => audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== "informative")
    .filter((audit) =>
      categories.some((category) => category?.auditRefs.some((ref) => ref.id === audit.id && ref.weight > 0)),
    )
    .map((audit) => `${audit.id}${audit.displayValue ? ` (${audit.displayValue})` : ""}`);
  return {
    performance: score("performance"),
    accessibility: score("accessibility"),
    bestPractices: score("best-practices"),
    fcpMs: value("first-contentful-paint"),
    lcpMs: value("largest-contentful-paint"),
    tbtMs: value("total-blocking-time"),
    cls: value("cumulative-layout-shift"),
    siMs: value("speed-index"),
    jsBytes,
    failing,
  };
}
