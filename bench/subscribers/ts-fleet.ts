/**
 * @module A fleet of TypeScript workers for the subscribers benchmark, the twin of py_fleet.py: N
 * subscribers (`@tradai/client`) in one process, one loop calling boundary() on each every few
 * milliseconds. Prints one JSON line when all have started, and one per applied change:
 * {"seq", "applied_ms", "worker"} (applied_ms: this machine's wall clock, epoch ms).
 */
import { createConfigSubscriber } from "@tradai/client";

const arg = (name: string, fallback?: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? process.argv[at + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
};

const count = Number(arg("count", "100"));
const loopMs = Number(arg("loop-ms", "5"));
const fleet = Array.from({ length: count }, (_, i) =>
  createConfigSubscriber({
    url: arg("url"),
    credentials: { token: arg("token") },
    environment: arg("environment", "dev"),
    strategies: [arg("strategy")],
    workerId: `ts-bench-${i}`,
    mode: "paper",
    lastKnownGood: null,
    warn: () => {},
  }),
);
await Promise.all(fleet.map((s) => s.start()));
process.stdout.write(`${JSON.stringify({ ready: fleet.length })}\n`);

let stopped = false;
process.stdin.resume();
process.stdin.on("end", () => {
  stopped = true;
});
while (!stopped) {
  fleet.forEach((subscriber, i) => {
    for (const applied of subscriber.boundary({ openTrades: 0 }))
      process.stdout.write(
        `${JSON.stringify({ seq: applied.seq, applied_ms: performance.timeOrigin + performance.now(), worker: i })}\n`,
      );
  });
  await new Promise((r) => setTimeout(r, loopMs));
}
await Promise.all(fleet.map((s) => s.stop()));
