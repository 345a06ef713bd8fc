/**
 * @module A progress display for long waits: one redrawn line on a terminal, a line per change
 * of status or per 10% otherwise (logs, CI).
 */

export interface ProgressDisplay {
  update(status: string, percent: number, message?: string | null): void;
  done(): void;
}

const WIDTH = 30;

export function progressDisplay(stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  let lastStatus = "";
  let lastDecile = -1;
  let drawn = false;
  return {
    update(status, percent, message) {
      const pct = Math.max(0, Math.min(100, percent));
      if (stream.isTTY) {
        const filled = Math.round((pct / 100) * WIDTH);
        const bar = `${"█".repeat(filled)}${"░".repeat(WIDTH - filled)}`;
        const text = `${bar} ${pct.toFixed(0).padStart(3)}%  ${status}${message ? `: ${message}` : ""}`;
        stream.write(`\r\x1b[2K${text.slice(0, (stream.columns ?? 100) - 1)}`);
        drawn = true;
        return;
      }
      const decile = Math.floor(pct / 10);
      if (status === lastStatus && decile === lastDecile) return;
      lastStatus = status;
      lastDecile = decile;
      stream.write(`${status} ${pct.toFixed(0)}%${message ? ` ${message}` : ""}\n`);
    },
    done() {
      if (drawn) stream.write("\n");
    },
  };
}
