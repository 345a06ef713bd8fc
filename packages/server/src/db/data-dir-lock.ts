/**
 * @module One process at a time on an embedded data directory. PGlite does not guard against a
 * second process opening the same directory, which would corrupt it; this lock file, beside the
 * directory, holds the owner's pid. A lock left by a process that no longer runs (killed, crashed)
 * is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class DataDirLockedError extends Error {
  constructor(dataDir: string, lockFile: string, pid: number) {
    super(
      `the data directory ${dataDir} is in use by process ${pid}; stop that server first ` +
        `(if no such server runs, delete ${lockFile})`,
    );
    this.name = "DataDirLockedError";
  }
}

/** Takes the lock or throws DataDirLockedError; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir.replace(/\/+$/, "")}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number.parseInt(readFileSync(lockFile, "utf8"), 10);
      if (Number.isInteger(owner) && isRunning(owner)) {
        throw new DataDirLockedError(dataDir, lockFile, owner);
      }
      rmSync(lockFile, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`could not take the lock ${lockFile}`);
}
