/**
 * @module `tradai workers history WORKER [--at TIME]`: what a paper or live worker ran. Without
 * `--at`, its sessions and the history of the newest; with it, the configuration of each strategy
 * in use at that time: version, resolved hash and parameter set.
 */
import type { SessionView } from "@tradai/core";
import { Command, Option } from "commander";
import { apiFor, print } from "../context.js";
import { formatFields, formatTable } from "../output/table.js";
import { UsageError } from "../usage-error.js";

/**
 * A time as given: ISO 8601 with a zone is exact; without a zone ("2026-12-06 14:03", "14:03" for
 * today) it is this machine's local time, said back in UTC so nobody guesses.
 */
export function parseAt(text: string, now = new Date()): Date {
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (clock) {
    const at = new Date(now);
    at.setHours(Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0), 0);
    if (Number(clock[1]) < 24 && Number(clock[2]) < 60) return at;
  }
  const at = new Date(text.trim().replace(" ", "T"));
  if (Number.isNaN(at.getTime())) {
    throw new UsageError(
      `--at must be a time: ISO 8601 ("2026-12-06T14:03:00Z"), or local "2026-12-06 14:03" or "14:03"; not "${text}"`,
    );
  }
  return at;
}

const short = (hash: string | null | undefined) => (hash ? hash.slice(0, 12) : "-");

function sessionsTable(items: readonly SessionView[]): string {
  return formatTable([
    ["SESSION", "STRATEGY", "MODE", "ENV", "STATUS", "OPENED", "ENDED", "APPLIES", "LAST_VERSION", "CODE"],
    ...items.map((s) => [
      s.session_id,
      s.strategy,
      s.mode,
      s.environment,
      s.status,
      s.opened_at,
      s.ended_at ?? "-",
      String(s.applies),
      s.last_applied?.config_version_id ?? "-",
      s.code_version ?? "-",
    ]),
  ]);
}

export function workerHistoryCommand(): Command {
  return new Command("history")
    .description("what a paper or live worker ran: its sessions and what each applied; with --at, what was in use then")
    .argument("<WORKER>")
    .option("--at <time>", 'a time: ISO 8601, or local "2026-12-06 14:03" or "14:03" (today)')
    .option("--strategy <STRATEGY>", "only this strategy")
    .addOption(new Option("--env <environment>", "only this environment"))
    .action(async (worker: string, opts: { at?: string; strategy?: string; env?: string }, command: Command) => {
      const api = apiFor(command);
      const filter = { worker, strategy: opts.strategy, environment: opts.env };
      if (opts.at !== undefined) {
        const at = parseAt(opts.at).toISOString();
        const { items } = await api.listSessions({ ...filter, at, limit: 500 });
        print(command, { worker, at, sessions: items }, () => {
          if (items.length === 0) return `${worker} ran no session at ${at}`;
          return [
            `At ${at} ${worker} ran:`,
            formatTable([
              [
                "STRATEGY",
                "MODE",
                "ENV",
                "CONFIG_VERSION",
                "RESOLVED_HASH",
                "PARAMETER_SET",
                "APPLIED_AT",
                "BOUNDARY",
                "SESSION",
              ],
              ...items.map((s) => [
                s.strategy,
                s.mode,
                s.environment,
                s.in_effect ? (s.in_effect.config_version_id ?? "(none)") : "(nothing applied yet)",
                short(s.in_effect?.resolved_hash),
                s.in_effect?.parameter_set_hash ?? "-",
                s.in_effect?.applied_at ?? "-",
                s.in_effect?.boundary ?? "-",
                s.session_id,
              ]),
            ]),
          ].join("\n");
        });
        if (items.length === 0) process.exitCode = 1;
        return;
      }
      const { items } = await api.listSessions({ ...filter, limit: 50 });
      if (items.length === 0) {
        print(command, { worker, sessions: [] }, () => `${worker} has no session yet`);
        process.exitCode = 1;
        return;
      }
      const newest = await api.getSession((items[0] as SessionView).session_id);
      print(command, { worker, sessions: items, newest }, () =>
        [
          sessionsTable(items),
          "",
          formatFields([
            ["session", newest.session_id],
            ["strategy", `${newest.strategy} (${newest.mode}) in ${newest.environment}`],
            [
              "labels",
              Object.entries(newest.labels)
                .map(([k, v]) => `${k}=${v}`)
                .join(", ") || "-",
            ],
            ["code", newest.code_version ?? "-"],
          ]),
          formatTable([
            [
              "SEQ",
              "APPLIED_AT",
              "CONFIG_VERSION",
              "RESOLVED_HASH",
              "PARAMETER_SET",
              "BOUNDARY",
              "LATENCY",
              "RESTART_PENDING",
              "BETWEEN_TRADES_PENDING",
              "SHADOW_HELD",
            ],
            ...newest.history.map((h) => [
              String(h.seq),
              h.applied_at,
              h.config_version_id ?? "(none)",
              short(h.resolved_hash),
              short(h.parameter_set_hash),
              h.boundary,
              h.latency_ms === null ? "-" : `${Math.round(h.latency_ms)} ms`,
              h.pending_restart.join(",") || "-",
              h.pending_between_trades?.join(",") || "-",
              // (a server before the shadow class sends none)
              h.held_shadow?.join(",") || "-",
            ]),
          ]),
        ].join("\n"),
      );
    });
}
