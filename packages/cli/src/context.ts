/** @module What every remote command needs: the API client for --url, and how to print. */
import { createApiClient } from "@tradai/client";
import type { Command } from "commander";

export interface GlobalOptions {
  url: string;
  json?: boolean;
}

export function apiFor(command: Command) {
  const { url } = command.optsWithGlobals<GlobalOptions>();
  return createApiClient({ baseUrl: url });
}

export function wantsJson(command: Command): boolean {
  return Boolean(command.optsWithGlobals<GlobalOptions>().json);
}

/** Prints `value` as JSON with --json, otherwise the human form. */
export function print(command: Command, value: unknown, human: () => string): void {
  process.stdout.write(`${wantsJson(command) ? JSON.stringify(value, null, 2) : human()}\n`);
}
