/** @module The propagation benchmark's figures as Markdown (bench/results/propagation.md). */
import type { PropagationReport } from "../propagation.bench.js";
import type { Summary } from "./stats.js";

type Run = PropagationReport["runs"][number];

const met = (ok: boolean) => (ok ? "met" : "**not met**");
const n = (value: number) => value.toLocaleString("en-US");
const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
const pcts = (s: Summary) => [s.p50_ms, s.p95_ms, s.p99_ms, s.max_ms];
const round2 = (value: number) => Math.round(value * 100) / 100;

/** Heartbeats that failed: as the workers saw them (timeouts, errors, non-2xx) and as the server answered them. */
export function heartbeatFailures(run: Run): { workers: number; server: number } {
  const workers = Object.entries(run.platform.client_warnings)
    .filter(([message]) => message.startsWith("heartbeat"))
    .reduce((t, [, count]) => t + count, 0);
  return { workers, server: run.platform.server?.heartbeats_refused.samples ?? 0 };
}

function targets(report: PropagationReport): string[] {
  const lines = ["| target (issue 20) | measured | |", "|---|---|---|"];
  for (const [k, limit] of [
    [1000, 2.5],
    [5000, 3],
  ] as const) {
    for (const run of report.runs.filter((r) => r.workers === k)) {
      lines.push(
        row([
          `server fan-out + delivery p99 (light readers) at ${n(k)}, ${run.replicas} replica(s), within ${limit}x the floor of the same run`,
          `${run.light_p99_ratio_to_floor}x (${run.light.latency_ms.p99_ms} ms vs ${run.floor.latency_ms.p99_ms} ms)`,
          met(run.light_p99_ratio_to_floor <= limit),
        ]),
      );
    }
  }
  for (const run of report.runs.filter((r) => r.workers >= 5000)) {
    const failed = heartbeatFailures(run);
    lines.push(
      row([
        `0 heartbeat failures at ${n(run.workers)}, ${run.replicas} replica(s)`,
        `${n(failed.workers)} seen by the workers, ${n(failed.server)} answered otherwise than 204`,
        met(failed.workers + failed.server === 0),
      ]),
    );
  }
  for (const run of report.runs.filter((r) => r.workers >= 5000)) {
    const settled = run.light.settled_per_stream_kib;
    const bare = run.floor.settled_per_connection_kib;
    lines.push(
      row([
        `at most 12 KiB server memory per idle subscriber (${n(run.workers)}, ${run.replicas} replica(s)), resident after a full collection: a stream alone`,
        `${settled.rss} KiB, of it V8 heap ${settled.heap_and_external} KiB (a bare node:http connection: ${bare.rss} KiB, heap ${bare.heap_and_external} KiB)`,
        met(settled.rss <= 12),
      ]),
    );
  }
  const h = report.session_history;
  lines.push(
    row([
      `session history at ${n(h.workers)} workers: at most 1 database transaction per 100 history rows`,
      `${h.transactions_per_100_rows ?? "no rows"} per 100 (${n(h.transactions)} for ${n(h.rows)} rows)`,
      met(h.transactions_per_100_rows !== null && h.transactions_per_100_rows <= 1),
    ]),
  );
  lines.push(
    row([
      `fan-out p99 at ${n(h.workers)} workers applying one change, with session history within 10% of without (mean of ${h.rounds.length} runs each)`,
      `${h.p99_ms.with_history} ms vs ${h.p99_ms.without_history} ms (${h.p99_ratio}x)`,
      met(h.p99_ratio <= 1.1),
    ]),
  );
  const r = report.resolve;
  lines.push(
    row([
      "cached resolve 200 at least 70% of the bare route's req/s",
      `${Math.round(r.ratio_200 * 100)}%`,
      met(r.ratio_200 >= 0.7),
    ]),
  );
  lines.push(
    row([
      "cached resolve 304 at least 70% of the bare route's req/s",
      `${Math.round(r.ratio_304 * 100)}%`,
      met(r.ratio_304 >= 0.7),
    ]),
  );
  return lines;
}

function summary(report: PropagationReport): string[] {
  return [
    "| replicas | workers | commit -> applied p50 / p95 / p99 (end to end) | floor p99 | light readers p99 (x floor) | server CPU % of one core, per 1,000 | server KiB per subscriber (a stream alone) | DB reads / writes per change | heartbeat failures | clients' CPU % of one core (machine busy %) |",
    "|---:|---:|---|---:|---|---:|---|---|---:|---|",
    ...report.runs.map((run) => {
      const p = run.platform;
      const cpu = p.cpu_during_activations;
      const failed = heartbeatFailures(run);
      return row([
        run.replicas,
        n(run.workers),
        `${p.latency_ms.from_commit_notify.p50_ms} / ${p.latency_ms.from_commit_notify.p95_ms} / ${p.latency_ms.from_commit_notify.p99_ms}`,
        run.floor.latency_ms.p99_ms,
        `${run.light.latency_ms.p99_ms} (${run.light_p99_ratio_to_floor}x)`,
        round2(((cpu.percent_of_one_core.servers ?? 0) / run.workers) * 1000),
        `${p.rss_per_subscriber_kib} (${run.light.rss_per_stream_kib})`,
        `${p.database_statements.per_change.read} / ${p.database_statements.per_change.write}`,
        failed.workers + failed.server,
        `${cpu.percent_of_one_core.clients} (${cpu.machine_busy_percent})`,
      ]);
    }),
  ];
}

function detail(run: Run): string[] {
  const p = run.platform;
  const f = run.floor;
  const l = p.latency_ms;
  const cpu = p.cpu_during_activations.percent_of_one_core;
  return [
    `### ${run.replicas} replica(s), ${n(run.workers)} workers`,
    "",
    "| from -> to, ms | p50 | p95 | p99 | max | last worker, median / max |",
    "|---|---:|---:|---:|---:|---:|",
    row([
      "commit (NOTIFY seen) -> boundary applied",
      ...pcts(l.from_commit_notify),
      `${p.last_worker_ms.from_commit_notify.median_ms} / ${p.last_worker_ms.from_commit_notify.max_ms}`,
    ]),
    row(["commit (NOTIFY seen) -> change frame received by the worker", ...pcts(l.receipt_from_commit_notify), ""]),
    row([
      "event INSERT (before commit) -> boundary applied",
      ...pcts(l.from_event_insert),
      `${p.last_worker_ms.from_event_insert.median_ms} / ${p.last_worker_ms.from_event_insert.max_ms}`,
    ]),
    row(["activation request sent -> boundary applied", ...pcts(l.from_request_start), ""]),
    row(["activation response received -> boundary applied", ...pcts(l.from_response), ""]),
    row([
      "floor: bare server write start -> client receipt",
      ...pcts(f.latency_ms),
      `${f.last_client_ms.median_ms} / ${f.last_client_ms.max_ms}`,
    ]),
    row([
      `light readers (the platform's stream, frames only timestamped): commit (NOTIFY seen) -> change frame received; ${run.light_p99_ratio_to_floor}x the floor at p99`,
      ...pcts(run.light.latency_ms),
      "",
    ]),
    "",
    ...serverRows(p.server),
    "",
    `Database statements over the activations (${p.database_statements.read} reads, ${p.database_statements.write} writes, ` +
      `the workers' reports included): ${p.database_statements.per_change.read} reads and ${p.database_statements.per_change.write} writes per change.`,
    "",
    `Connected ${n(p.connected)}/${n(run.workers)} in ${p.connect_seconds} s (floor ${n(f.connected)}). ` +
      `Activation request ${p.activation_request_ms.median_ms} ms median (max ${p.activation_request_ms.max_ms}); ` +
      `event INSERT to NOTIFY seen ${p.commit_window_ms.median_ms} ms median. ` +
      `Server RSS ${p.rss_kib.before.join(" + ")} -> ${p.rss_kib.after.join(" + ")} KiB = ${p.rss_per_subscriber_kib} KiB per subscriber ` +
      `(bare server: ${f.rss_per_connection_kib} KiB per connection). ` +
      `A stream alone (light readers), after a full collection: ${run.light.settled_per_stream_kib.rss} KiB resident, ` +
      `${run.light.settled_per_stream_kib.heap_and_external} KiB V8 heap (bare: ${f.settled_per_connection_kib.rss} and ${f.settled_per_connection_kib.heap_and_external}). ` +
      `CPU during ${p.cpu_during_activations.seconds} s of activations, % of one core: servers ${cpu.servers}, postgres ${cpu.postgres}, ` +
      `client processes ${cpu.clients}; machine ${p.cpu_during_activations.machine_busy_percent}% busy ` +
      `(floor: server ${f.cpu_during_events.percent_of_one_core.servers}, clients ${f.cpu_during_events.percent_of_one_core.clients}). ` +
      `CPU seconds per activation: servers ${p.cpu_seconds_per_activation.servers}, postgres ${p.cpu_seconds_per_activation.postgres}, ` +
      `clients ${p.cpu_seconds_per_activation.clients} (floor per event: server ${f.cpu_seconds_per_event.servers}, clients ${f.cpu_seconds_per_event.clients}). ` +
      `Missing applies ${p.missing_applies}, caught by the 50 ms sweep instead of the stream hook ${p.caught_by_sweep}, ` +
      `unexpected ${p.unexpected_applies.length}, floor missing ${f.missing_receipts}.`,
    "",
  ];
}

/** The median, over every measured activation of every round, of that activation's p99 from commit. */
function activationMedian(
  rounds: PropagationReport["session_history"]["rounds"],
  way: "with_history" | "without_history",
): number {
  const p99s = rounds
    .flatMap((r) => r[way].activations.filter((a) => !a.warm_up).map((a) => a.p99_from_commit_ms))
    .sort((a, b) => a - b);
  const mid = Math.floor(p99s.length / 2);
  const median =
    p99s.length % 2 === 1 ? (p99s[mid] as number) : ((p99s[mid - 1] as number) + (p99s[mid] as number)) / 2;
  return Math.round(median * 100) / 100;
}

function sessionHistory(report: PropagationReport): string[] {
  const h = report.session_history;
  type Platform = (typeof h.rounds)[number]["with_history"];
  const line = (label: string, p: Platform) => {
    const sh = p.session_history;
    const cpu = p.cpu_during_activations.percent_of_one_core;
    return row([
      label,
      n(p.connected),
      ...pcts(p.latency_ms.from_commit_notify),
      n(sh.rows),
      n(sh.transactions),
      sh.transactions_per_100_rows ?? "-",
      `${cpu.servers} / ${cpu.postgres} / ${cpu.clients} (${p.cpu_during_activations.machine_busy_percent})`,
    ]);
  };
  const header = [
    "| run | connected | p50 | p95 | p99 | max | history rows | transactions | per 100 rows | CPU % of one core: server / postgres / clients (machine busy %) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  const table = (rounds: typeof h.rounds) =>
    rounds.flatMap((r, i) => [
      line(`${i + 1}: without history`, r.without_history),
      line(`${i + 1}: with history`, r.with_history),
    ]);
  const c = h.continuous;
  return [
    `## Session history: the fan-out with and without it (${n(h.workers)} workers, 1 replica)`,
    "",
    "Each worker's library records every apply and reports it with its next heartbeat (within 5 s of the boundary, at random); the server appends it to the session's history in batches (gathered for 250 ms or 1,000 rows, one SQL statement each, held back for 400 ms after each change event). Without history, the same workers' heartbeats go without `applies` (the benchmark's clients remove them; both ways parse and rewrite the report). The runs alternate, each on a fresh replica, after the table above.",
    "",
    `### One change at a time (the target): activations ${h.spacing_ms / 1000} s apart`,
    "",
    "Each change's history is recorded before the next change: what recording one change costs that change's own fan-out.",
    "",
    ...header,
    ...table(h.rounds),
    "",
    `Mean p99: ${h.p99_ms.with_history} ms with, ${h.p99_ms.without_history} ms without (${h.p99_ratio}x); ${n(h.transactions)} transactions for ${n(h.rows)} history rows (${h.transactions_per_100_rows} per 100). The median over all activations of each activation's own p99: ${activationMedian(h.rounds, "with_history")} ms with history, ${activationMedian(h.rounds, "without_history")} ms without.`,
    "",
    ...(c.p99_ms === null
      ? []
      : [
          `### Diagnostic: a change every ${c.spacing_ms / 1000} s`,
          "",
          "Each fan-out meets the reports of the changes before it (parsed as they come) and their history writes: the cost of recording under continuous change, on a machine already about 90% busy.",
          "",
          ...header,
          ...table(c.rounds),
          "",
          `Mean p99: ${c.p99_ms.with_history} ms with, ${c.p99_ms.without_history} ms without (${round2(c.p99_ms.with_history / c.p99_ms.without_history)}x). The median over all activations of each activation's own p99: ${activationMedian(c.rounds, "with_history")} ms with history, ${activationMedian(c.rounds, "without_history")} ms without.`,
          "",
        ]),
    "The pooled p99 of a run is set by its one or two slowest activations, and varies from run to run on this machine by more than 10%; the median of the activations' own p99s is less sensitive to one slow activation.",
    "",
  ];
}

function diagnostics(report: PropagationReport): string[] {
  if (report.diagnostics.length === 0) return [];
  const line = (label: string, p: Run["platform"]) => {
    const cpu = p.cpu_during_activations;
    return row([
      label,
      n(p.workers),
      ...pcts(p.latency_ms.receipt_from_commit_notify).slice(0, 3),
      ...pcts(p.latency_ms.from_commit_notify).slice(0, 3),
      p.activation_request_ms.median_ms,
      `${p.cpu_seconds_per_activation.servers} / ${p.cpu_seconds_per_activation.postgres} / ${p.cpu_seconds_per_activation.clients} (${cpu.machine_busy_percent})`,
    ]);
  };
  return [
    "## Diagnostic: without the heartbeat after each boundary",
    "",
    "Not the library's behaviour, and not a result: the same 1-replica runs with the heartbeat that `boundary()` sends after an applied " +
      "change answered inside the client process (204) instead of sent, to see how much of the figures above that heartbeat costs " +
      "(it is one more authenticated request and an UPSERT per worker and activation, and on this machine the simulated workers also " +
      "share the 2 cores with the server).",
    "",
    "| run | workers | receipt p50 | receipt p95 | receipt p99 | applied p50 | applied p95 | applied p99 | activation request, median ms | CPU s per activation: servers / postgres / clients (machine busy %) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...report.diagnostics.flatMap((d) => {
      const full = report.runs.find((r) => r.replicas === 1 && r.workers === d.workers);
      return [...(full ? [line("with heartbeat (above)", full.platform)] : []), line("without", d)];
    }),
    "",
  ];
}

function problems(report: PropagationReport): string[] {
  const lines: string[] = [];
  for (const run of report.runs) {
    const p = run.platform;
    const where = `${run.replicas} replica(s), ${n(run.workers)} workers`;
    for (const [message, count] of Object.entries(p.client_warnings))
      lines.push(`- ${where}: subscriber warned ${count}x: ${message}`);
    for (const line of p.server_problems.slice(0, 5)) lines.push(`- ${where}: server: ${line.slice(0, 300)}`);
    if (p.server_problems.length > 5)
      lines.push(`- ${where}: ... ${p.server_problems.length - 5} more server lines (propagation.json)`);
    for (const failure of [...p.connect_failures, ...run.floor.connect_failures].slice(0, 5))
      lines.push(`- ${where}: connect: ${failure}`);
    for (const u of p.unexpected_applies.slice(0, 3)) lines.push(`- ${where}: unexpected apply: ${u}`);
    if (p.missing_applies > 0) lines.push(`- ${where}: ${p.missing_applies} worker-activations never applied`);
  }
  for (const d of report.diagnostics) {
    if (d.missing_applies > 0)
      lines.push(`- diagnostic, ${n(d.workers)} workers: ${d.missing_applies} worker-activations never applied`);
    for (const line of d.server_problems.slice(0, 5))
      lines.push(`- diagnostic, ${n(d.workers)} workers: server: ${line.slice(0, 300)}`);
  }
  for (const note of report.notes) lines.push(`- ${note}`);
  for (const line of report.resolve.server_problems.slice(0, 5)) lines.push(`- resolve: server: ${line.slice(0, 300)}`);
  return lines.length > 0
    ? lines
    : ["None: every worker applied every activation, no warnings, no server log lines of level warn or above."];
}

export function markdown(report: PropagationReport): string {
  const r = report.resolve;
  const s = report.setup;
  const offsets = report.clock_offsets.map((c) => Math.abs(c.offset_ms));
  return `${[
    "# Propagation benchmark",
    "",
    `${report.date}, Node ${report.node}, ${report.platform}, ${report.cpus} CPUs (${report.cpu_model}), ${report.memory_gib} GiB. ` +
      `The whole run took ${Math.round(report.duration_s / 60)} min (${report.duration_s} s). Everything ran on this one machine: ` +
      `${s.postgres}; replicas as ${s.replicas}; ${s.client_processes} client processes holding the simulated workers; the benchmark.`,
    ...(Object.keys(report.refreshed ?? {}).length > 0
      ? [
          "",
          `Sections run again alone later (\`BENCH_ONLY_*\`), the rest as above: ${Object.entries(report.refreshed)
            .map(([section, at]) => `${section} (${at})`)
            .join(", ")}.`,
        ]
      : []),
    "",
    "## Targets",
    "",
    ...targets(report),
    "",
    `## The capacity curve: activation to boundary, ms (${s.activations} activations each, after ${s.warm_up_activations} warm-up)`,
    "",
    "**Read the end-to-end columns with the clients' CPU beside them.** The simulated workers (every one a real library subscriber: parse, " +
      "hash check, apply, heartbeat) share this machine's cores with the replicas and PostgreSQL; where the machine is near 100% busy, " +
      "the end-to-end figure measures the simulated fleet as much as the server. The light readers (the same stream, frames only " +
      "timestamped) and the server's own histograms below are the server's share.",
    "",
    "Latency from the activation's commit to each worker's `boundary()` applying it, pooled over every worker and activation " +
      "(frame received: to the change frame reaching the worker's stream reader); " +
      "last worker = the time until the last worker had an activation (median and max over the activations). " +
      "The floor is the bare node:http server with the same client processes, measured the same way (write start to receipt).",
    "",
    ...summary(report),
    "",
    ...report.runs.flatMap(detail),
    "## Resolve poll path",
    "",
    `GET /api/v1/resolve/{strategy}?environment=dev (${r.body_bytes} bytes), ${r.authentication}; ${n(r.requests)} requests at concurrency ${r.concurrency} ` +
      `from a separate process over keep-alive connections, ${r.rounds} rounds, platform and bare alternating. ` +
      "Req/s: the median round of each. Platform / bare: the median over rounds of each platform round over the bare round " +
      "next to it in time (this machine's rounds vary up to 2x, and a pair shares the moment's noise).",
    "",
    "| answer | platform req/s | bare Fastify req/s | platform / bare | platform p50 / p99 ms | bare p50 / p99 ms |",
    "|---|---:|---:|---:|---:|---:|",
    ...(["200", "304"] as const).map((code) => {
      const p = r.cases[`platform_${code}`];
      const b = r.cases[`bare_${code}`];
      const ratio = code === "200" ? r.ratio_200 : r.ratio_304;
      return row([
        code,
        p?.rps ?? "",
        b?.rps ?? "",
        `${Math.round(ratio * 100)}%`,
        `${p?.p50_ms} / ${p?.p99_ms}`,
        `${b?.p50_ms} / ${b?.p99_ms}`,
      ]);
    }),
    "",
    ...sessionHistory(report),
    ...diagnostics(report),
    "## How it is measured",
    "",
    "- **Clocks.** Every process stamps times with `performance.timeOrigin + performance.now()` (wall-clock ms, sub-ms precision). " +
      `The client processes' clocks differ from the benchmark's by at most ${Math.max(...offsets).toFixed(3)} ms (IPC round trip, best of 20).`,
    "- **Commit.** The benchmark holds its own `LISTEN` connection on the platform's change-feed channel. PostgreSQL delivers a NOTIFY only " +
      "after the transaction committed, so the moment it arrives is at or just after the commit; the event row's `at` " +
      "(`clock_timestamp()` at its INSERT, inside the transaction) is at or before it. The headline figure counts from the NOTIFY " +
      "(a slight lower bound of the true latency); the event INSERT row is an upper bound. The replicas wake on the same NOTIFY. " +
      "Counting from the activation's HTTP response would understate (the response is sent after the commit and after re-reading the version; " +
      "workers can have applied the change before it arrives); counting from the request start adds authentication and the transaction.",
    "- **Workers.** Each simulated worker is a `createConfigSubscriber` from the built `@tradai/client` (its own SSE stream, a token shared by all, " +
      `heartbeatMs ${s.subscriber_heartbeat_ms} so periodic heartbeats stay out; the heartbeat the library sends after each applied boundary stays). ` +
      "The `fetch` given to the library returns the real response, with the stream reader's `read()` wrapped: each chunk is timed (\"change frame " +
      "received\") and schedules, with setImmediate (after the library's reader has handled the chunk), the worker's safe point: `boundary()` if " +
      '`hasPending`. So the worker reaches its safe point at once and the figure is the platform\'s path, not a cycle length. "Boundary applied" is ' +
      "timed by an `onApplied` listener, which the library calls before it sends the heartbeat. A 50 ms sweep would catch a change the hook missed " +
      "(counted above). Up to 1,250 workers share a client process, so a worker's apply also waits for the work of the workers handled before it " +
      "in that process (parsing, boundary, their heartbeat requests): a cost of the simulation that one worker per process would not have. " +
      "Activations alternate two versions that differ in a `hot` parameter; " +
      `each starts at least ${s.spacing_ms} ms after the previous one and after every worker applied it (timeout 60 s).`,
    "- **Replicas.** Fresh `tradai serve` processes per run; with two, client processes 0 and 2 use one and 1 and 3 the other (half the workers each). " +
      "Activations go to the first replica.",
    "- **Memory.** VmRSS of each replica after start-up (strategy created, idle 1 s) and again after every worker connected and 5 s idle; " +
      "(after - before) / connected workers. It includes each worker's idle keep-alive connection left by its heartbeat. " +
      "With 100 workers the difference is within the noise of the heap (when garbage is collected); the 5,000-worker rows are the ones to read. " +
      "The target's figure is taken with the light readers (a stream alone) and after a full collection: the replica and the bare server " +
      "are started with `--expose-gc` and a preloaded probe (bench/propagation/memory-probe.ts) that, on SIGUSR2, collects twice and writes " +
      "process.memoryUsage(); read before and after the streams connect, it gives resident memory and V8 heap (heapUsed + external) per stream " +
      "without the garbage a reading at a random moment counts.",
    "- **CPU.** utime + stime from /proc/<pid>/stat over the activations phase, as % of one core: the replicas, the PostgreSQL postmaster and its " +
      "backends, the client processes; and the machine's busy share from /proc/stat. The machine is shared: when its busy share is well above " +
      "what the listed processes add up to (their % of one core summed, divided by the number of cores), other work was running meanwhile.",
    "- **Floor.** Bare node:http SSE servers (as many as replicas, clients spread the same way) write one pre-built frame padded to the size of the " +
      "platform's change chunk to every client; each frame carries the time taken before it was built; the clients (plain fetch readers in the same " +
      "client processes) subtract it on receipt. The floor includes no library work (parse, boundary, heartbeat) on the client side.",
    "",
    ...stormSection(report.storm),
    "",
    "## Problems seen",
    "",
    ...problems(report),
  ].join("\n")}\n`;
}

/** The server's own share, from its histograms (issue 20): what the replicas measured of each change. */
function serverRows(server: Run["platform"]["server"]): string[] {
  if (!server) return [];
  const line = (
    what: string,
    t: { samples: number; mean_ms: number; p50_at_most_ms: number; p99_at_most_ms: number },
  ) => row([what, t.samples, t.mean_ms, `≤ ${t.p50_at_most_ms}`, `≤ ${t.p99_at_most_ms}`]);
  return [
    "Measured in the server (its histograms: one observation per change and replica, or per heartbeat; a percentile is known only to its bucket's upper bound):",
    "",
    "| in the server, ms | observations | mean | p50 | p99 |",
    "|---|---:|---:|---:|---:|",
    line(
      "commit -> change handed to the streams (tradai_config_notify_lag_seconds)",
      server.tradai_config_notify_lag_seconds,
    ),
    line("handed out -> last live stream wrote it (tradai_stream_fanout_seconds)", server.tradai_stream_fanout_seconds),
    line("a worker's heartbeat, answered 204 (tradai_http_request_duration_seconds)", server.heartbeats_answered),
    line("a worker's heartbeat, answered otherwise (a failure the server saw)", server.heartbeats_refused),
  ];
}

/** The reconnect storm (issue 20, item 3): a replica killed under its streams. */
function stormSection(storm: PropagationReport["storm"]): string[] {
  const ms = (t: { latency_ms: Summary; max_ms: number; failures: string[] }) =>
    `p50 ${t.latency_ms.p50_ms}, p99 ${t.latency_ms.p99_ms}, max ${t.max_ms} ms${t.failures.length ? ` (${t.failures.length} failed)` : ""}`;
  return [
    `## Reconnect storm: ${n(storm.clients)} streams, their replica killed`,
    "",
    "On a fresh database (before any other run), two replicas; every stream (test-support/sse-storm.ts: resumes with Last-Event-ID after a wait drawn below the stream's `retry:`, " +
      "fails over to the next replica) on replica A; A gets SIGKILL and a change is made through B at once. " +
      "The storm's statements: B's `tradai_database_statements_total` over the storm less what the change made during it cost (measured alone " +
      "before) and what the probes cost (measured alone before), so within a few statements.",
    "",
    "| | measured | target | |",
    "|---|---|---|---|",
    row([
      "every stream back, after the kill",
      `${storm.back_after_kill_s} s`,
      "≤ 30 s",
      met(storm.back_after_kill_s <= 30),
    ]),
    row([
      "streams that skipped or repeated an event",
      storm.skipped_or_repeated,
      "0",
      met(storm.skipped_or_repeated === 0),
    ]),
    row([
      "the storm's statements to the database (reads / writes)",
      `${storm.storm_statements.read} / ${storm.storm_statements.write}`,
      "≤ 10",
      met(storm.storm_statements.read + storm.storm_statements.write <= 10),
    ]),
    row(["B's GET /api/v1/health/ready meanwhile", ms(storm.health), "< 1 s", met(storm.health.max_ms < 1000)]),
    row([
      "B's GET /api/v1/configs/{s}?status=active meanwhile",
      ms(storm.api_read),
      "< 1 s",
      met(storm.api_read.max_ms < 1000),
    ]),
    "",
    `Refusals the clients saw: ${JSON.stringify(storm.refusals)} (a connection lost with A).`,
  ];
}
