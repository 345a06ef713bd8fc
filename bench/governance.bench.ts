/**
 * @module Authentication and audit benchmark: the cost of each way to authenticate a request, of
 * appending to the audit chain (config creates, each one entry), of listing and of verifying the
 * whole chain. On PGlite and on a PostgreSQL server. Writes bench/results/governance.json and .md.
 * Run with `npm run bench:governance`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  BACKENDS,
  type Backend,
  benchFetch,
  machine,
  type Phase,
  type PhaseResult,
  post,
  RESULTS_DIR,
  round,
  runPhase,
  startOn,
} from "./lib/harness.js";

const USERS = 20;
const VERSIONS = 2000;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

async function json<T>(response: Promise<Response>): Promise<T> {
  const r = await response;
  if (!r.ok) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
  return (await r.json()) as T;
}

async function onBackend(backend: Backend) {
  const { platform, detail, stop } = await startOn(backend);
  const url = platform.url;
  try {
    for (let i = 0; i < USERS; i++) {
      await json(
        benchFetch(`${url}/api/v1/users`, post({ username: `u${i}`, role: "viewer", password: `password-of-u${i}` })),
      );
    }
    const { token } = await json<{ token: string }>(
      benchFetch(`${url}/api/v1/tokens`, post({ name: "bench", roles: ["viewer"] })),
    );
    const phases: Phase[] = [
      {
        name: "login_first",
        label: "login, password checked (scrypt)",
        requests: USERS,
        concurrency: 1,
        request: (i) => ({
          path: "/api/v1/auth/login",
          init: post({ username: `u${i}`, password: `password-of-u${i}`, issue: "token" }),
          expect: 200,
        }),
      },
      {
        name: "read_basic",
        label: "GET /configs, HTTP Basic (verified before)",
        requests: 1000,
        concurrency: 1,
        request: () => ({ path: "/api/v1/configs", expect: 200 }),
      },
      {
        name: "read_token",
        label: "GET /configs, service token",
        requests: 1000,
        concurrency: 1,
        request: () => ({
          path: "/api/v1/configs",
          init: { headers: { authorization: `Bearer ${token}` } },
          expect: 200,
        }),
      },
      {
        name: "read_forbidden",
        label: "POST /configs by a viewer (403 before parsing)",
        requests: 1000,
        concurrency: 1,
        request: () => ({
          path: "/api/v1/configs",
          init: {
            ...post({}),
            headers: { "content-type": "application/json", authorization: basic("u0", "password-of-u0") },
          },
          expect: 403,
        }),
      },
      {
        name: "create_audited",
        label: "create version (+ 1 audit entry)",
        requests: VERSIONS,
        concurrency: 8,
        request: (i) => ({
          path: "/api/v1/configs",
          init: post({ strategy_name: "BenchAudit", config_data: { stoploss: -(i + 1) / 100_000, seq: i } }),
          expect: 201,
        }),
      },
      {
        name: "audit_list",
        label: "GET /audit?action=config.create&limit=50",
        requests: 200,
        concurrency: 1,
        request: () => ({ path: "/api/v1/audit?action=config.create&limit=50", expect: 200 }),
      },
    ];
    const results: Record<string, PhaseResult> = {};
    for (const phase of phases) {
      results[phase.name] = await runPhase(url, phase);
      const r = results[phase.name] as PhaseResult;
      console.log(
        `${backend}: ${phase.label.padEnd(48)} p50 ${r.p50_ms} ms  p99 ${r.p99_ms} ms  ${r.throughput_per_s} req/s`,
      );
    }
    const verifyTimes: number[] = [];
    let entries = 0;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const report = await json<{ ok: boolean; entries_checked: number }>(benchFetch(`${url}/api/v1/audit/verify`));
      verifyTimes.push(performance.now() - started);
      if (!report.ok) throw new Error("the audit chain does not verify");
      entries = report.entries_checked;
    }
    const verifyMs = Math.min(...verifyTimes);
    console.log(`${backend}: verify ${entries} entries in ${round(verifyMs, 1)} ms (best of 3)`);
    return {
      backend,
      detail,
      phases: results,
      verify: { entries, best_ms: round(verifyMs, 1), entries_per_s: Math.round(entries / (verifyMs / 1000)) },
    };
  } finally {
    await stop();
  }
}

async function main() {
  const backends = [];
  for (const backend of BACKENDS) backends.push(await onBackend(backend));
  return { ...machine(), backends };
}

function markdown(report: Awaited<ReturnType<typeof main>>): string {
  const b = report.backends;
  const row = (label: string, pick: (x: (typeof b)[number]) => string) => `| ${label} | ${b.map(pick).join(" | ")} |`;
  const names = Object.keys(b[0]?.phases ?? {});
  return `${[
    "# Authentication and audit benchmark",
    "",
    `${report.date}, Node ${report.node}, ${report.platform}, ${report.cpus} CPUs (${report.cpu_model}).`,
    "The platform and the HTTP clients (fetch) share one process; see governance.json for details.",
    "",
    ...b.map((x) => `- ${x.backend}: ${x.detail}`),
    "",
    `| metric | ${b.map((x) => x.backend).join(" | ")} |`,
    `|---|${b.map(() => "---:").join("|")}|`,
    ...names.flatMap((name) => [
      row(`${name}: p50 / p99, ms`, (x) => `${x.phases[name]?.p50_ms} / ${x.phases[name]?.p99_ms}`),
      row(`${name}: req/s (concurrency ${x0(b, name)})`, (x) => String(x.phases[name]?.throughput_per_s)),
    ]),
    row("audit verify: entries, best of 3 (ms)", (x) => `${x.verify.entries} in ${x.verify.best_ms}`),
    row("audit verify: entries/s", (x) => String(x.verify.entries_per_s)),
  ].join("\n")}\n`;
}

const x0 = (b: { phases: Record<string, PhaseResult> }[], name: string) => b[0]?.phases[name]?.concurrency ?? 1;

const report = await main();
mkdirSync(RESULTS_DIR, { recursive: true });
writeFileSync(join(RESULTS_DIR, "governance.json"), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(RESULTS_DIR, "governance.md"), markdown(report));
console.log(`wrote ${join(RESULTS_DIR, "governance.md")}`);
