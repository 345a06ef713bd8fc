/**
 * @module Preloaded into the processes whose memory per connection the benchmark reports (the
 * replicas, the bare floor server): on SIGUSR2 it runs full garbage collections, then writes
 * process.memoryUsage() to `BENCH_MEMORY_PROBE_DIR/<pid>.json`. Resident memory read at a random
 * moment counts garbage not yet collected and heap the collector reserved ahead; read after a
 * collection it counts what the connections hold. Needs `--expose-gc`; touches nothing else.
 */
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeHeapSnapshot } from "node:v8";

const dir = process.env.BENCH_MEMORY_PROBE_DIR;
const collect = (globalThis as { gc?: () => void }).gc;
if (dir && collect) {
  process.on("SIGUSR2", () => {
    collect();
    collect();
    // BENCH_HEAP_SNAPSHOTS=DIR: a heap snapshot with each reading, to see what a connection holds.
    const snapshots = process.env.BENCH_HEAP_SNAPSHOTS;
    if (snapshots) writeHeapSnapshot(join(snapshots, `${process.pid}-${Date.now()}.heapsnapshot`));
    const file = join(dir, `${process.pid}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(process.memoryUsage()));
    renameSync(`${file}.tmp`, file);
  });
}
