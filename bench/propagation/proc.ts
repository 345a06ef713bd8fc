/**
 * @module What /proc says about processes (resident memory, CPU time, children) and about the
 * machine (CPU busy time), for the propagation benchmark's memory and CPU figures.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux (getconf CLK_TCK)

/** VmRSS in KiB. */
export function rssKiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/** Fields after the command name (which may hold spaces): [0] is state (field 3), [1] ppid, [11] utime, [12] stime. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined; // gone
  }
}

/** utime + stime in seconds (0 for a process that is gone). */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND : 0;
}

/** The process and all its descendants now (e.g. the PostgreSQL postmaster and its backends). */
export function withDescendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(Number(name));
    if (fields) parentOf.set(Number(name), Number(fields[1]));
  }
  const found = [root];
  for (let i = 0; i < found.length; i++) {
    for (const [pid, parent] of parentOf) if (parent === found[i]) found.push(pid);
  }
  return found;
}

/** Children of this process whose command is `name` (the postmaster that test-support started). */
export function childrenNamed(name: string): number[] {
  return withDescendants(process.pid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === name;
    } catch {
      return false;
    }
  });
}

/** Busy and total CPU seconds of the whole machine (all cores), from the first line of /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: busy / TICKS_PER_SECOND, total: (busy + idle + iowait) / TICKS_PER_SECOND };
}

/**
 * Starts measuring the CPU use of groups of processes (pids listed again at the end, so new
 * PostgreSQL backends count; time of processes that ended meanwhile is lost), as % of one core
 * per group, and the machine's busy %.
 */
export function cpuMeter(groups: Record<string, () => number[]>) {
  const sample = () => {
    const seen = new Map<number, number>();
    for (const list of Object.values(groups)) for (const pid of list()) seen.set(pid, cpuSeconds(pid));
    return seen;
  };
  const before = sample();
  const machineBefore = machineCpu();
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const machineAfter = machineCpu();
    const percent: Record<string, number> = {};
    for (const [name, list] of Object.entries(groups)) {
      const used = list().reduce((sum, pid) => sum + cpuSeconds(pid) - (before.get(pid) ?? 0), 0);
      percent[name] = Math.round((1000 * used) / seconds) / 10;
    }
    const busy = machineAfter.busy - machineBefore.busy;
    const total = machineAfter.total - machineBefore.total;
    return {
      seconds: Math.round(seconds * 10) / 10,
      percent_of_one_core: percent,
      machine_busy_percent: total > 0 ? Math.round((1000 * busy) / total) / 10 : 0,
    };
  };
}
