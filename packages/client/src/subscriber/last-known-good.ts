/**
 * @module The last configuration the server verified, kept on disk so a paper worker can start
 * while the server is unreachable. Each config is checked against its resolved hash when written
 * and when read: a copy that does not match is refused, never used.
 */
import type { IncomingConfig } from "./applied-state.js";
import { valuesHash } from "./values-memo.js";

export interface LastKnownGood {
  environment: string;
  seq: number;
  saved_at: string;
  configs: IncomingConfig[];
}

/** A config whose values hash to its resolved hash (or that carries neither). */
export function isVerified(config: IncomingConfig): boolean {
  if (config.values === null) return config.resolved_hash === null;
  return config.resolved_hash === valuesHash(config.values);
}

/** Where the copy is kept: a file by default; anything that stores one text will do. */
export interface LastKnownGoodStore {
  read(): Promise<string | null>;
  write(text: string): Promise<void>;
  readonly where: string;
}

/** A JSON file, replaced atomically (written beside it, then renamed over it). */
export function lastKnownGoodFile(path: string): LastKnownGoodStore {
  return {
    where: path,
    async read() {
      const { readFile } = await import("node:fs/promises");
      try {
        return await readFile(path, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async write(text) {
      const { mkdir, rename, writeFile } = await import("node:fs/promises");
      const { dirname } = await import("node:path");
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, text, { mode: 0o600 });
      await rename(temporary, path);
    },
  };
}

/**
 * Reads the copy for this environment and these strategies.
 * @throws Error saying why it cannot be used (missing, another environment, a strategy missing, a hash mismatch)
 */
export async function loadLastKnownGood(
  store: LastKnownGoodStore,
  environment: string,
  strategies: readonly string[],
): Promise<LastKnownGood> {
  const text = await store.read();
  if (text === null) throw new Error(`there is no last-known-good copy at ${store.where}`);
  let copy: LastKnownGood;
  try {
    copy = JSON.parse(text) as LastKnownGood;
  } catch {
    throw new Error(`the last-known-good copy at ${store.where} is not valid JSON`);
  }
  if (copy.environment !== environment)
    throw new Error(`the last-known-good copy at ${store.where} is for ${copy.environment}, not ${environment}`);
  for (const strategy of strategies) {
    const config = copy.configs?.find((c) => c.strategy === strategy);
    if (!config) throw new Error(`the last-known-good copy at ${store.where} has no config for ${strategy}`);
    if (!isVerified(config))
      throw new Error(`the last-known-good copy of ${strategy} at ${store.where} does not match its hash`);
  }
  return { ...copy, configs: copy.configs.filter((c) => strategies.includes(c.strategy)) };
}

export async function saveLastKnownGood(store: LastKnownGoodStore, copy: LastKnownGood): Promise<void> {
  await store.write(`${JSON.stringify(copy, null, 2)}\n`);
}
