/**
 * @module The benchmark's side of memory-probe.ts: the flags that load it into a child process, and
 * the memory a child reports after a full garbage collection.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { sleep } from "./context.js";

const PROBE = join(dirname(fileURLToPath(import.meta.url)), "memory-probe.js");
const DIR = mkdtempSync(join(tmpdir(), "bench-memory-"));
process.once("exit", () => rmSync(DIR, { recursive: true, force: true }));
// Children (replicas, forked helpers) inherit it.
process.env.BENCH_MEMORY_PROBE_DIR = DIR;

/** Node flags that load the probe into a child. */
export const PROBE_FLAGS = ["--expose-gc", "--import", pathToFileURL(PROBE).href];

export interface SettledMemory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** The child's memory (bytes) right after two full collections; throws after 10 s without an answer. */
export async function settledMemory(pid: number): Promise<SettledMemory> {
  const file = join(DIR, `${pid}.json`);
  rmSync(file, { force: true });
  process.kill(pid, "SIGUSR2");
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as SettledMemory;
    await sleep(50);
  }
  throw new Error(`process ${pid} did not report its memory within 10 s (is memory-probe.js loaded?)`);
}

/** KiB per connection between two readings summed over processes: resident, and V8 heap + external. */
export function perConnectionKiB(before: SettledMemory[], after: SettledMemory[], connections: number) {
  const total = (list: SettledMemory[], pick: (m: SettledMemory) => number) => list.reduce((s, m) => s + pick(m), 0);
  const per = (pick: (m: SettledMemory) => number) =>
    Math.round(((total(after, pick) - total(before, pick)) / 1024 / Math.max(1, connections)) * 10) / 10;
  return { rss: per((m) => m.rss), heap_and_external: per((m) => m.heapUsed + m.external) };
}
