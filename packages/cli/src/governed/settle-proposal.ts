/**
 * @module What a governed command does when its change became a change request: exit 3 (proposed),
 * or with `--wait [SECONDS]` follow the request until it is applied (0), rejected, expired or
 * stale (4), or the time runs out (3, still pending).
 */
import { ApiUnreachableError, type ChangeRequestAccepted, isProposed } from "@tradai/client";
import type { ChangeRequest } from "@tradai/core";
import { type Command, Option } from "commander";
import { apiFor, print, wantsJson } from "../context.js";
import { EXIT_NOT_APPLIED, EXIT_PROPOSED } from "../exit-codes.js";
import { UsageError } from "../usage-error.js";

export const DEFAULT_WAIT_SECONDS = 600;
const POLL_MS = 1_000;

export const waitOption = () =>
  new Option(
    "--wait [seconds]",
    `when the change becomes a change request, wait until it is applied, rejected or expired (default ${DEFAULT_WAIT_SECONDS} s)`,
  );

/** The --wait value in seconds, or undefined when not waiting. */
export function waitSeconds(wait: unknown): number | undefined {
  if (wait === undefined || wait === false) return undefined;
  if (wait === true) return DEFAULT_WAIT_SECONDS;
  const seconds = Number(wait);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`--wait takes a number of seconds greater than 0, got "${String(wait)}"`);
  return seconds;
}

const decided = (cr: ChangeRequest) => cr.status !== "pending";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function follow(command: Command, proposal: ChangeRequestAccepted, seconds: number): Promise<ChangeRequest> {
  const api = apiFor(command);
  // With --json, stderr is kept for one JSON problem: no progress lines there.
  const say = (line: string) => {
    if (!wantsJson(command)) process.stderr.write(`${line}\n`);
  };
  const deadline = Date.now() + seconds * 1000;
  let cr = proposal.change_request;
  say(`Waiting up to ${seconds} s for change request ${cr.id} to be decided...`);
  let shown = cr.approvals;
  while (!decided(cr) && Date.now() < deadline) {
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
    try {
      cr = await api.getChangeRequest(cr.id);
    } catch (error) {
      // The request is open on the server whatever happens here: a lost connection is waited out.
      if (!(error instanceof ApiUnreachableError)) throw error;
      continue;
    }
    if (cr.approvals !== shown && !decided(cr)) {
      shown = cr.approvals;
      say(`  approvals ${cr.approvals}/${cr.approvals_required}`);
    }
  }
  return cr;
}

const closedBy = (cr: ChangeRequest) => (cr.closed_by ? ` by ${cr.closed_by}` : "");

function decisionLine(cr: ChangeRequest, seconds: number): string {
  switch (cr.status) {
    case "applied":
      return `Applied: change request ${cr.id} (${cr.summary}) was approved${closedBy(cr)}`;
    case "pending":
      return `Still pending after ${seconds} s: change request ${cr.id} has ${cr.approvals}/${cr.approvals_required} approval(s); nothing is applied yet`;
    default:
      return `Not applied: change request ${cr.id} is ${cr.status}${closedBy(cr)}`;
  }
}

/**
 * Prints a governed command's outcome and sets the exit code. `human` renders an applied outcome
 * or the proposal line.
 */
export async function printGoverned<T extends object>(
  command: Command,
  outcome: T | ChangeRequestAccepted,
  human: () => string,
  /** From waitSeconds(opts.wait), read before the change is sent (a bad value must send nothing). */
  seconds?: number,
): Promise<void> {
  if (!isProposed(outcome)) {
    print(command, outcome, human);
    return;
  }
  if (seconds === undefined) {
    print(command, outcome, human);
    process.exitCode = EXIT_PROPOSED;
    return;
  }
  if (decided(outcome.change_request)) {
    print(command, outcome, human);
  } else {
    if (!wantsJson(command)) process.stdout.write(`${human()}\n`);
    const final = await follow(command, outcome, seconds);
    print(command, { ...outcome, change_request: final }, () => decisionLine(final, seconds));
    outcome = { ...outcome, change_request: final };
  }
  const status = outcome.change_request.status;
  process.exitCode = status === "applied" ? 0 : status === "pending" ? EXIT_PROPOSED : EXIT_NOT_APPLIED;
}
