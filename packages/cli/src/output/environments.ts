/** @module Human output of environments: their policy and freeze windows. */
import type { EnvironmentView, FreezeWindow } from "@tradai/core";
import { formatFields, formatTable } from "./table.js";

const when = (iso: string) => iso.replace("T", " ").replace(/\.\d+Z$/, "Z");
const yesNo = (value: boolean) => (value ? "yes" : "no");

/** 5400 -> "1h30m", 86400 -> "1d", 45 -> "45s". */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    const amount = Math.floor(rest / size);
    if (amount > 0) parts.push(`${amount}${unit}`);
    rest -= amount * size;
  }
  return parts.join("") || "0s";
}

/** "yes, 2 approvals" or "no". */
export function approvalText(env: EnvironmentView): string {
  const n = env.approvals_required;
  return env.requires_approval ? `yes, ${n} approval${n === 1 ? "" : "s"}` : "no";
}

/** "until 2026-11-23 18:00:00Z (window 3)" (the active window that ends last), or "-". */
export function frozenText(env: EnvironmentView): string {
  const active = env.freeze_windows.filter((w) => w.active_now && w.active_until);
  if (active.length === 0) return env.frozen ? "yes" : "-";
  const until = active.map((w) => w.active_until as string).sort((a, b) => Date.parse(b) - Date.parse(a))[0] as string;
  const ids = active.map((w) => w.id).join(", ");
  return `until ${when(until)} (window${active.length === 1 ? "" : "s"} ${ids})`;
}

export function environmentTable(items: readonly EnvironmentView[]): string {
  if (items.length === 0) return "No environments.";
  return formatTable([
    ["NAME", "DEFAULT", "APPROVAL", "PROMOTE_FROM", "BREAK_GLASS", "FROZEN"],
    ...items.map((env) => [
      env.name,
      yesNo(env.is_default),
      approvalText(env),
      env.promote_from ?? "-",
      env.break_glass_allowed ? "allowed" : "no",
      frozenText(env),
    ]),
  ]);
}

/** When a window freezes: "2026-11-23 10:00:00Z -> 2026-11-23 18:00:00Z" or `cron "0 16 * * 5" for 2h (UTC)`. */
export function freezeTiming(w: FreezeWindow): string {
  if (w.kind === "recurring") {
    return `cron "${w.cron}" for ${formatDuration(w.duration_seconds ?? 0)} (${w.time_zone ?? "UTC"})`;
  }
  return `${w.starts_at ? when(w.starts_at) : "?"} -> ${w.ends_at ? when(w.ends_at) : "?"}`;
}

const activeText = (w: FreezeWindow) =>
  w.active_now ? `yes, until ${w.active_until ? when(w.active_until) : "?"}` : "no";

export function freezeTable(windows: readonly FreezeWindow[]): string {
  return formatTable([
    ["ID", "KIND", "WHEN", "ACTIVE_NOW", "BY", "REASON"],
    ...windows.map((w) => [String(w.id), w.kind, freezeTiming(w), activeText(w), w.created_by, w.reason]),
  ]);
}

/** `tradai env freeze list`: the windows of one environment. */
export function freezeList(env: EnvironmentView): string {
  if (env.freeze_windows.length === 0) return `No freeze windows in ${env.name}.`;
  const frozen = env.frozen ? `frozen ${frozenText(env)}` : "not frozen now";
  return `${env.freeze_windows.length} freeze window(s) in ${env.name}, ${frozen}\n${freezeTable(env.freeze_windows)}`;
}

/** `tradai env show`: the policy, then the freeze windows. */
export function environmentDetails(env: EnvironmentView): string {
  const fields = formatFields([
    ["environment", env.name],
    ["default", yesNo(env.is_default)],
    ["approval", approvalText(env)],
    ["promote from", env.promote_from ?? "-"],
    ["break-glass", env.break_glass_allowed ? "allowed" : "no"],
    ["frozen", env.frozen ? frozenText(env) : "no"],
    ["policy updated", env.updated_at ? `${when(env.updated_at)} by ${env.updated_by ?? "?"}` : "never"],
  ]);
  const windows =
    env.freeze_windows.length === 0
      ? "freeze windows: none"
      : `freeze windows:\n${freezeTable(env.freeze_windows)
          .split("\n")
          .map((line) => `  ${line}`)
          .join("\n")}`;
  return `${fields}\n${windows}`;
}

/** One line after `tradai env freeze add`: the window's id and whether it is active now. */
export function freezeAdded(w: FreezeWindow): string {
  const now = w.active_now ? `active now, until ${w.active_until ? when(w.active_until) : "?"}` : "not active now";
  return `Added freeze window ${w.id} to ${w.environment} (${w.kind}, ${freezeTiming(w)}): ${now}`;
}

export function freezeRemoved(w: FreezeWindow): string {
  return `Removed freeze window ${w.id} from ${w.environment} (${w.kind}, ${freezeTiming(w)}, "${w.reason}")`;
}
