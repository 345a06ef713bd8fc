/**
 * @module A load generator in its own process: the same GET sent `requests` times over
 * `concurrency` keep-alive connections (node:http), each answer's status checked and its body
 * read; requests per second and latency percentiles.
 */
import { Agent, request } from "node:http";
import { serveRequests } from "./rpc.js";

interface LoadArgs {
  url: string;
  headers: Record<string, string>;
  requests: number;
  concurrency: number;
  expect: number;
}

function once(url: URL, headers: Record<string, string>, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

async function run(args: LoadArgs) {
  const url = new URL(args.url);
  const agent = new Agent({ keepAlive: true, maxSockets: args.concurrency });
  const latencies: number[] = [];
  const wrong = new Map<number, number>();
  let next = 0;
  const loop = async () => {
    while (next < args.requests) {
      next++;
      const started = performance.now();
      const status = await once(url, args.headers, agent);
      latencies.push(performance.now() - started);
      if (status !== args.expect) wrong.set(status, (wrong.get(status) ?? 0) + 1);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: args.concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
  return {
    requests: args.requests,
    concurrency: args.concurrency,
    seconds,
    rps: args.requests / seconds,
    p50_ms: at(50),
    p99_ms: at(99),
    unexpected_status: Object.fromEntries(wrong),
  };
}

serveRequests({ run });
