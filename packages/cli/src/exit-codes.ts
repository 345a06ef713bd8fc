/** @module The CLI's exit codes: one table, shown in `tradai --help` and the README. */

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** A change request was opened (or already waited) instead of the change: not applied yet. */
export const EXIT_PROPOSED = 3;
/** With --wait: the change request was rejected, expired or went stale; the change was not applied. */
export const EXIT_NOT_APPLIED = 4;

export const EXIT_CODE_TABLE: readonly (readonly [number, string])[] = [
  [EXIT_OK, "done: the change was applied (or there was nothing to change), or the command answered"],
  [EXIT_FAILED, "the server refused or failed (its title, detail and each field are printed), or is unreachable"],
  [EXIT_USAGE, "usage error: bad arguments, an unreadable or malformed --file/--data"],
  [EXIT_PROPOSED, "proposed: a change request waits for approval; nothing is applied yet (--wait: still pending)"],
  [EXIT_NOT_APPLIED, "with --wait: the change request was rejected, expired or went stale; nothing was applied"],
];

export const exitCodeHelp = (): string =>
  `\nExit codes:\n${EXIT_CODE_TABLE.map(([code, meaning]) => `  ${code}  ${meaning}`).join("\n")}\n`;
