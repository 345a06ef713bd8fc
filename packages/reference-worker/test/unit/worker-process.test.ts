/**
 * The built worker as the launcher runs it: a child process with the launch environment, a
 * progress endpoint (a tiny local HTTP server) and a result file. Needs `npm run build` first.
 */
import { spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { contentHash, type JsonValue, PARAMETER_SET_SCHEMA } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../bin/tradai-reference-worker.js", import.meta.url));
const TOKEN = "run-token-for-tests";
const VALUES = {
  symbols: ["BTC/USDT:USDT", "ETH/USDT:USDT"],
  timeframe: "1h",
  start_date: "2024-01-01",
  end_date: "2024-02-01",
  stake_amount: 1000,
  exchange: "binance",
  stoploss: -0.02,
};

interface ProgressCall {
  jobId: string;
  authorization: string | undefined;
  body: { progress: number; message: string };
}
const calls: ProgressCall[] = [];
let server: Server;
let serverUrl: string;
const work = mkdtempSync(join(tmpdir(), "tradai-worker-"));

beforeAll(async () => {
  if (!existsSync(fileURLToPath(new URL("../../dist/main.js", import.meta.url)))) {
    throw new Error("packages/reference-worker is not built: run `npm run build` first");
  }
  server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => {
      text += chunk;
    });
    request.on("end", () => {
      const jobId = /\/api\/v1\/backtests\/([^/]+)\/progress$/.exec(request.url ?? "")?.[1] ?? "?";
      calls.push({ jobId, authorization: request.headers.authorization, body: JSON.parse(text) });
      if (jobId.startsWith("hang-")) return; // never answers: the worker must still stop on SIGTERM
      response.writeHead(request.headers.authorization === `Bearer ${TOKEN}` ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function writeParameterSet(values: { [key: string]: JsonValue }, configVersionId?: string) {
  const parameterSet = {
    schema: PARAMETER_SET_SCHEMA,
    strategy: "StochRsiStrategy",
    values,
    provenance: Object.fromEntries(Object.keys(values).map((key) => [key, "request"])),
    ...(configVersionId ? { config_version_id: configVersionId } : {}),
    platform_version: "0.1.0",
    launcher: "local",
  };
  const hash = contentHash(parameterSet);
  const path = join(work, `${randomUUID()}.parameter-set.json`);
  writeFileSync(path, JSON.stringify({ hash, parameter_set: parameterSet }));
  return { hash, path, parameterSet };
}

interface Launch {
  values?: { [key: string]: JsonValue };
  configVersionId?: string;
  jobId?: string;
  env?: Record<string, string>;
  /** Called with the child right after it starts. */
  onStart?: (child: ReturnType<typeof spawn>) => void;
}

function launch({ values = VALUES, configVersionId, jobId = randomUUID(), env = {}, onStart }: Launch = {}) {
  const { hash, path } = writeParameterSet(values, configVersionId);
  const resultPath = join(work, "results", `${jobId}.json`);
  const child = spawn(process.execPath, [BIN], {
    env: {
      PATH: process.env.PATH ?? "",
      JOB_ID: jobId,
      STRATEGY: "StochRsiStrategy",
      TRADING_MODE: "backtest",
      ...(configVersionId ? { CONFIG_VERSION_ID: configVersionId } : {}),
      PARAMETER_SET_HASH: hash,
      PARAMETER_SET_PATH: path,
      TIMEFRAME: "1h",
      TIMERANGE: "20240101-20240201",
      PAIRS: VALUES.symbols.join(","),
      EXPERIMENT_NAME: `experiment-${jobId}`,
      RESULT_PATH: resultPath,
      TRADAI_URL: serverUrl,
      TRADAI_RUN_TOKEN: TOKEN,
      ...env,
    },
  });
  onStart?.(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise<{
    code: number | null;
    stdout: string;
    stderr: string;
    resultPath: string;
    jobId: string;
    hash: string;
  }>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr, resultPath, jobId, hash })));
}

const readResult = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const outcomeText = (r: { metrics: unknown; trades: unknown; equity_curve: unknown }) =>
  JSON.stringify([r.metrics, r.trades, r.equity_curve]);

describe("reference worker process", () => {
  it("runs a backtest, reports progress with the run token and writes the result", async () => {
    const run = await launch({ configVersionId: "v3-0123abcd" });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const mine = calls.filter((c) => c.jobId === run.jobId);
    expect(mine.map((c) => c.body.progress)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(mine.every((c) => c.authorization === `Bearer ${TOKEN}` && c.body.message.length > 0)).toBe(true);
    expect(run.stdout.trim().split("\n")).toHaveLength(12); // one line per progress step + "result written"

    const result = readResult(run.resultPath);
    expect(result).toMatchObject({ job_id: run.jobId, strategy: "StochRsiStrategy", config_version_id: "v3-0123abcd" });
    expect(result.parameter_set_hash).toBe(run.hash);
    expect(result.worker_environment).toMatchObject({
      JOB_ID: run.jobId,
      CONFIG_VERSION_ID: "v3-0123abcd",
      TRADING_MODE: "backtest",
    });
    expect(result.worker_environment).not.toHaveProperty("TRADAI_RUN_TOKEN");
    expect(result.worker_environment).not.toHaveProperty("TRADAI_URL");
    expect(result.data).toMatchObject({ source: "synthetic", seed: 42 });
    expect(result.data.note).toMatch(/NOT market data/);
    expect(result.effective_parameters).toMatchObject({ ...VALUES, rsi_period: 14, fee: 0.001 });
    expect(Object.keys(result.metrics)).toEqual(
      expect.arrayContaining([
        "total_return",
        "max_drawdown",
        "sharpe",
        "win_rate",
        "trade_count",
        "profit_total",
        "starting_balance",
        "final_balance",
      ]),
    );
    expect(result.metrics.trade_count).toBe(result.trades.length);
    expect(new Set(result.trades.map((t: { pair: string }) => t.pair))).toEqual(new Set(VALUES.symbols));
    expect(result.equity_curve).toHaveLength(31 * 24 + 1);
    expect(readdirSync(join(work, "results")).some((name) => name.endsWith(".tmp"))).toBe(false);
  });

  it("gives byte-identical outcomes for the same parameter set, and different ones for another stoploss", async () => {
    const [first, second, other] = await Promise.all([
      launch(),
      launch(),
      launch({ values: { ...VALUES, stoploss: -0.05 } }),
    ]);
    expect([first.code, second.code, other.code]).toEqual([0, 0, 0]);
    const [a, b, c] = [first, second, other].map((run) => readResult(run.resultPath));
    expect(outcomeText(a)).toBe(outcomeText(b));
    const identityFree = (r: Record<string, unknown> & { worker_environment: Record<string, string> }) => {
      const { JOB_ID, EXPERIMENT_NAME, RESULT_PATH, PARAMETER_SET_PATH, ...env } = r.worker_environment;
      return JSON.stringify({ ...r, job_id: undefined, worker_environment: env });
    };
    expect(identityFree(a)).toBe(identityFree(b));
    expect(a).not.toHaveProperty("config_version_id");
    expect(c.parameter_set_hash).not.toBe(a.parameter_set_hash);
    expect(outcomeText(c)).not.toBe(outcomeText(a));
  });

  it("refuses a tampered parameter set with exit 3 and writes nothing", async () => {
    const tampered = await launch({ env: { PARAMETER_SET_HASH: "0".repeat(64) } });
    expect(tampered.code).toBe(3);
    expect(tampered.stderr).toMatch(/parameter set refused: .*PARAMETER_SET_HASH/);
    const { path, hash } = writeParameterSet(VALUES);
    const file = JSON.parse(readFileSync(path, "utf8"));
    file.parameter_set.values.stoploss = -0.5; // edited after hashing
    writeFileSync(path, JSON.stringify(file));
    const edited = await launch({ env: { PARAMETER_SET_PATH: path, PARAMETER_SET_HASH: hash } });
    expect(edited.code).toBe(3);
    expect(edited.stderr).toMatch(/content hash .* does not match/);
    expect(existsSync(tampered.resultPath) || existsSync(edited.resultPath)).toBe(false);
  });

  it("refuses a bad parameter with exit 2 naming it", async () => {
    const run = await launch({ values: { ...VALUES, rsi_period: "fourteen" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/invalid parameter rsi_period: must be an integer/);
    expect(existsSync(run.resultPath)).toBe(false);
  });

  it("reads candles from CSV files in DATA_DIR", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tradai-data-"));
    const start = Date.UTC(2024, 0, 1);
    const rows = Array.from({ length: 300 }, (_, i) => {
      const close = 100 + 10 * Math.sin(i / 6) + i * 0.01;
      const open = 100 + 10 * Math.sin((i - 1) / 6) + (i - 1) * 0.01;
      return `${start + i * 3_600_000},${open},${Math.max(open, close) + 0.2},${Math.min(open, close) - 0.2},${close},10`;
    });
    const text = `timestamp,open,high,low,close,volume\n${rows.join("\n")}\n`;
    writeFileSync(join(dataDir, "BTC_USDT_USDT-1h.csv"), text);
    const values = { ...VALUES, symbols: ["BTC/USDT:USDT"] };
    const run = await launch({ values, env: { DATA_DIR: dataDir, PAIRS: "BTC/USDT:USDT" } });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const result = readResult(run.resultPath);
    expect(result.data).toMatchObject({ source: "csv" });
    expect(result.data.pairs).toEqual([
      expect.objectContaining({
        pair: "BTC/USDT:USDT",
        candles: 300,
        sha256: createHash("sha256").update(text).digest("hex"),
      }),
    ]);
    expect(result.metrics.trade_count).toBeGreaterThan(0);

    const missing = await launch({ values: { ...values, symbols: ["SOL/USDT:USDT"] }, env: { DATA_DIR: dataDir } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(join(dataDir, "SOL_USDT_USDT-1h.csv"));
  });

  it("completes when the progress endpoint is down", async () => {
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, "127.0.0.1", resolve));
    const port = (down.address() as AddressInfo).port;
    await new Promise((resolve) => down.close(resolve));
    const run = await launch({ env: { TRADAI_URL: `http://127.0.0.1:${port}` } });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/progress 0% not delivered/);
    expect(readResult(run.resultPath).metrics.trade_count).toBeGreaterThan(0);
  });

  it("stops on SIGTERM with exit 143 and no result", async () => {
    const jobId = `hang-${randomUUID()}`;
    const run = await launch({
      jobId,
      onStart: (child) => {
        const poll = setInterval(() => {
          if (calls.some((c) => c.jobId === jobId)) {
            clearInterval(poll);
            child.kill("SIGTERM");
          }
        }, 10);
      },
    });
    expect(run.code).toBe(143);
    expect(existsSync(run.resultPath)).toBe(false);
  });
});
