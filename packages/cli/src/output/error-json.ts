/**
 * @module Errors for scripts: with --json, whatever fails is one JSON object on stderr, the
 * server's problem fields as they came (plus the options they mean), or a problem of our own for
 * a usage error or an unreachable server. The exit codes do not change.
 */
import type { Problem } from "@tradai/core";
import type { Command } from "commander";
import { optionForField } from "./problem.js";

/** Problem types of failures that never reached the server (RFC 9457 `type`). */
export const CLI_PROBLEM_TYPES = {
  usage: "https://tradai.dev/problems/cli-usage",
  unreachable: "https://tradai.dev/problems/server-unreachable",
} as const;

export function problemJson(problem: Problem, command: Command | undefined): string {
  const errors = problem.errors?.map((e) => {
    const option = command ? optionForField(e.field, command) : undefined;
    return option ? { ...e, option } : e;
  });
  return JSON.stringify({ ...problem, ...(errors ? { errors } : {}) });
}

export function cliProblemJson(kind: keyof typeof CLI_PROBLEM_TYPES, detail: string, exitCode: number): string {
  const title = kind === "usage" ? "Usage error" : "Server unreachable";
  return JSON.stringify({ type: CLI_PROBLEM_TYPES[kind], title, status: null, detail, exit_code: exitCode });
}
