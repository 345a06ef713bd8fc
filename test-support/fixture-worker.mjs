#!/usr/bin/env node
// A worker for tests that need one to misbehave on purpose. What it does comes from the
// parameter set's `fixture_mode`: ok | sleep | fail | wrong_hash | ignore_sigterm | no_result.
// It appends its JOB_ID to FIXTURE_STARTS_FILE (if set) so tests can count starts.
import { appendFileSync, readFileSync, renameSync, writeFileSync } from "node:fs";

const env = process.env;
const { parameter_set: ps } = JSON.parse(readFileSync(env.PARAMETER_SET_PATH, "utf8"));
const mode = ps.values.fixture_mode ?? "ok";
const seconds = Number(ps.values.fixture_seconds ?? 0);
if (env.FIXTURE_STARTS_FILE) appendFileSync(env.FIXTURE_STARTS_FILE, `${env.JOB_ID}\n`);
console.log(`fixture worker ${env.JOB_ID} mode=${mode}`);

async function progress(p) {
  try {
    await fetch(`${env.TRADAI_URL}/api/v1/backtests/${env.JOB_ID}/progress`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${env.TRADAI_RUN_TOKEN}` },
      body: JSON.stringify({ progress: p, message: `step ${p}` }),
    });
  } catch (error) {
    console.error(`progress report failed: ${error.message}`);
  }
}

if (mode === "ignore_sigterm") process.on("SIGTERM", () => console.log("ignoring SIGTERM"));
else process.on("SIGTERM", () => process.exit(143));

await progress(10);
for (let i = 0; i < seconds * 10; i++) await new Promise((r) => setTimeout(r, 100));
if (mode === "sleep" || mode === "ignore_sigterm") for (;;) await new Promise((r) => setTimeout(r, 100));
if (mode === "fail") {
  console.error("fixture failure: the strategy blew up");
  process.exit(4);
}
await progress(100);
if (mode === "no_result") process.exit(0);
const worker_environment = {};
for (const key of [
  "JOB_ID",
  "STRATEGY",
  "TRADING_MODE",
  "CONFIG_VERSION_ID",
  "PARAMETER_SET_HASH",
  "TIMEFRAME",
  "TIMERANGE",
  "PAIRS",
  "EXPERIMENT_NAME",
]) {
  if (env[key] !== undefined) worker_environment[key] = env[key];
}
const result = {
  job_id: env.JOB_ID,
  strategy: env.STRATEGY,
  ...(env.CONFIG_VERSION_ID ? { config_version_id: env.CONFIG_VERSION_ID } : {}),
  parameter_set_hash: mode === "wrong_hash" ? "0".repeat(64) : env.PARAMETER_SET_HASH,
  worker_environment,
  metrics: { trade_count: 0, total_return: 0, stake_amount: ps.values.stake_amount },
  trades: [],
  equity_curve: [{ time: "2025-01-01T00:00:00.000Z", equity: 1000 }],
};
writeFileSync(`${env.RESULT_PATH}.tmp`, JSON.stringify(result));
renameSync(`${env.RESULT_PATH}.tmp`, env.RESULT_PATH);
