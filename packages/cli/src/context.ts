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

/** Where a command's credentials come from, for `tradai whoami`. */
export type CredentialSource = "token" | "password" | "login" | "none";

/**
 * Credentials, first found: --token / TRADAI_TOKEN; --user / TRADAI_USER with TRADAI_PASSWORD
 * (without TRADAI_PASSWORD: that user's token from `tradai login`); the token `tradai login`
 * stored for this server; none.
 */
export function credentialsWithSource(command: Command): {
  credentials: ApiCredentials | undefined;
  source: CredentialSource;
} {
  const { url, token, user } = command.optsWithGlobals<GlobalOptions>();
  if (token) return { credentials: { token }, source: "token" };
  const stored = storedLogin(url);
  if (user) {
    const password = process.env.TRADAI_PASSWORD;
    if (password) return { credentials: { username: user, password }, source: "password" };
    if (stored?.username === user) return { credentials: { token: stored.token }, source: "login" };
    throw new UsageError(`--user ${user} needs the password in TRADAI_PASSWORD (or log in first: tradai login)`);
  }
  return stored
    ? { credentials: { token: stored.token }, source: "login" }
    : { credentials: undefined, source: "none" };
}

export function credentialsFor(command: Command): ApiCredentials | undefined {
  return credentialsWithSource(command).credentials;
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
