/** @module What every remote command needs: the API client for --url with credentials, and how to print. */
import { type ApiCredentials, createApiClient } from "@tradai/client";
import type { Command } from "commander";
import { storedLogin } from "./auth/credentials-file.js";
import { UsageError } from "./usage-error.js";

export interface GlobalOptions {
  url: string;
  json?: boolean;
  token?: string;
  user?: string;
}

/**
 * Credentials, first found: --token / TRADAI_TOKEN; --user / TRADAI_USER with TRADAI_PASSWORD;
 * the token `tradai login` stored for this server; none.
 */
export function credentialsFor(command: Command): ApiCredentials | undefined {
  const { url, token, user } = command.optsWithGlobals<GlobalOptions>();
  if (token) return { token };
  if (user) {
    const password = process.env.TRADAI_PASSWORD;
    if (!password) throw new UsageError(`--user ${user} needs the password in TRADAI_PASSWORD (or use tradai login)`);
    return { username: user, password };
  }
  const stored = storedLogin(url);
  return stored ? { token: stored.token } : undefined;
}

export function apiFor(command: Command) {
  const { url } = command.optsWithGlobals<GlobalOptions>();
  return createApiClient({ baseUrl: url, credentials: credentialsFor(command) });
}

export function wantsJson(command: Command): boolean {
  return Boolean(command.optsWithGlobals<GlobalOptions>().json);
}

/** Prints `value` as JSON with --json, otherwise the human form. */
export function print(command: Command, value: unknown, human: () => string): void {
  process.stdout.write(`${wantsJson(command) ? JSON.stringify(value, null, 2) : human()}\n`);
}
