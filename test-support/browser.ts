/**
 * @module Console tests in a real browser: Debian's Chromium driven by playwright-core (never a
 * downloaded browser), against the whole platform on an embedded database with demo data.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { TEST_ADMIN_PASSWORD } from "./auth.js";
import { startTestPlatform, type TestPlatform } from "./platform.js";

export const CHROMIUM = process.env.TRADAI_TEST_CHROMIUM ?? "/usr/bin/chromium";

/** Flags that keep Chromium off the network and working as root (see the README's test section). */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
  "--disable-dev-shm-usage",
];

export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1366, height: 900 } as const;

export interface ConsoleSession {
  platform: TestPlatform;
  browser: Browser;
  /** A new browser context (its own cookies) with a page, signed in as `username`. */
  signedIn(username?: string, password?: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** A new context with a page, not signed in. */
  anonymous(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * The platform (demo data unless env says otherwise) and a headless Chromium.
 * @example
 * const session = await startConsoleSession();
 * const page = await session.signedIn();
 * await page.getByRole("heading", { name: "Dashboard" }).waitFor();
 */
export async function startConsoleSession(env: Record<string, string> = {}): Promise<ConsoleSession> {
  const platform = await startTestPlatform({ TRADAI_DEMO_DATA: "true", ...env });
  let browser: Browser;
  try {
    // playwright gives each launch a fresh, temporary --user-data-dir of its own.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    await platform.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  const newPage = async (viewport: { width: number; height: number }) => {
    const context = await browser.newContext({ baseURL: platform.url, viewport, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  };
  return {
    platform,
    browser,
    anonymous: (viewport = DESKTOP) => newPage(viewport),
    async signedIn(username = "admin", password = TEST_ADMIN_PASSWORD, viewport = DESKTOP) {
      const page = await newPage(viewport);
      await signIn(page, username, password);
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await platform.close();
    },
  };
}

/** Signs in through the sign-in page and waits for the dashboard. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
}

const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core (WCAG 2 A and AA rules) on the page as it is now and fails on any serious or
 * critical violation, naming the rule and the elements.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  // Evaluated rather than added as a <script>: the console's Content-Security-Policy forbids inline scripts.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(readFileSync(axeSource, "utf8"));
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page at run time
    const axe = (window as any).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations as AxeViolation[];
  });
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious, `accessibility of ${what}`).toEqual([]);
}

/** Fails when the page is wider than the viewport (a layout that breaks on a phone). */
export async function expectNoHorizontalOverflow(page: Page, what: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `${what}: page width ${scrollWidth} px in a ${clientWidth} px viewport`).toBeLessThanOrEqual(
    clientWidth,
  );
}

/**
 * Saves a full-page screenshot as `<name>.png` in TRADAI_SCREENSHOT_DIR (`npm run screenshots`
 * sets docs/screenshots), else in a temporary folder.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = process.env.TRADAI_SCREENSHOT_DIR
    ? resolve(process.env.TRADAI_SCREENSHOT_DIR)
    : join(tmpdir(), "tradai-screenshots");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  // Animations (skeletons, toasts) would make screenshots differ from run to run.
  await page.screenshot({ path, fullPage: true, animations: "disabled" });
  return path;
}
