/**
 * @module Where `tradai login` keeps its tokens: `$XDG_CONFIG_HOME/tradai/credentials.json` (or
 * `~/.config/...`), one token per server URL, readable by the user only (mode 0600).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

export interface StoredLogin {
  token: string;
  username: string;
  expires_at: string;
}

type CredentialsFile = Record<string, StoredLogin>;

export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "tradai", "credentials.json");
}

/** The server URL as a key: no trailing slash. */
const keyOf = (url: string) => url.replace(/\/+$/, "");

function readAll(path: string): CredentialsFile {
  if (!existsSync(path)) return {};
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as CredentialsFile) : {};
  } catch {
    return {};
  }
}

function writeAll(path: string, all: CredentialsFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600); // an existing file keeps its mode on write
}

export function storedLogin(url: string, path = credentialsPath()): StoredLogin | undefined {
  const found = readAll(path)[keyOf(url)];
  return found && Date.parse(found.expires_at) > Date.now() ? found : undefined;
}

export function storeLogin(url: string, login: StoredLogin, path = credentialsPath()): void {
  writeAll(path, { ...readAll(path), [keyOf(url)]: login });
}

export function forgetLogin(url: string, path = credentialsPath()): boolean {
  const all = readAll(path);
  if (!all[keyOf(url)]) return false;
  delete all[keyOf(url)];
  writeAll(path, all);
  return true;
}
