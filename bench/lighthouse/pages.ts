/**
 * @module The pages the Lighthouse audits load, and what they need first: a session cookie for the
 * signed-in ones, and a finished run for the run's page.
 */
import { LIGHTHOUSE_ADMIN_PASSWORD } from "./server.js";

export type PageName = "sign-in" | "dashboard" | "editor" | "runs" | "run";

export interface AuditedPage {
  name: PageName;
  label: string;
  path: string;
  /** Sent with every request of the audit (the session cookie); none for the sign-in page. */
  headers: Record<string, string>;
}

/** The demo data's strategy (packages/server/src/demo/demo-data.ts). */
const DEMO_STRATEGY = "MeanReversionDemo";

/** Signs in as the admin the way the console does, and returns the session cookie (`name=value`). */
export async function signIn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: LIGHTHOUSE_ADMIN_PASSWORD, issue: "cookie" }),
  });
  const cookie = response.headers.getSetCookie()[0]?.split(";")[0];
  if (!response.ok || !cookie) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return cookie;
}

/**
 * Submits a backtest of the demo strategy (the reference worker on synthetic candles: one week, so
 * it ends in seconds) and waits for it to complete, so the run's page shows its metrics and chart.
 */
export async function finishedRun(baseUrl: string, cookie: string, timeoutMs = 60_000): Promise<string> {
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(baseUrl + path, {
      ...init,
      headers: { cookie, "content-type": "application/json", ...init.headers },
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const config = {
    strategy: DEMO_STRATEGY,
    symbols: ["BTC/USDT:USDT"],
    timeframe: "1h",
    start_date: "2025-01-01",
    end_date: "2025-01-08",
    stake_amount: 1000,
    exchange: "binance_futures",
    task_definition: "tradai-strategy-stochrsi",
  };
  const { job_id } = (await call("/api/v1/backtests", { method: "POST", body: JSON.stringify({ config }) })) as {
    job_id: string;
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status } = await call(`/api/v1/backtests/${job_id}`);
    if (status === "completed") return job_id;
    if (status === "failed" || status === "cancelled") throw new Error(`run ${job_id} ${status}`);
    if (Date.now() > deadline) throw new Error(`run ${job_id} still ${status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The five audited pages; `only` picks some (the CI check audits fewer). */
export async function auditedPages(baseUrl: string, only?: readonly PageName[]): Promise<AuditedPage[]> {
  const wanted = (name: PageName) => !only || only.includes(name);
  const cookie = await signIn(baseUrl);
  const headers = { cookie };
  const pages: AuditedPage[] = [
    { name: "sign-in", label: "Sign-in", path: "/sign-in", headers: {} },
    { name: "dashboard", label: "Dashboard", path: "/", headers },
    { name: "editor", label: "Strategy editor", path: `/strategies/${DEMO_STRATEGY}/edit`, headers },
    { name: "runs", label: "Runs list", path: "/runs", headers },
  ];
  if (wanted("run")) {
    const jobId = await finishedRun(baseUrl, cookie);
    pages.push({ name: "run", label: "Run detail", path: `/runs/${jobId}`, headers });
  }
  return pages.filter((page) => wanted(page.name));
}
