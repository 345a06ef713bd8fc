/** @module Artifacts as files under a directory (written to a temp file, then renamed). */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import type { ArtifactStore } from "./artifact-store.js";

export function localArtifactStore(rootDir: string): ArtifactStore {
  const root = resolve(rootDir);
  return {
    async putJson(key, value) {
      const path = join(root, key);
      if (relative(root, path).startsWith("..")) throw new Error(`artifact key ${key} leaves the artifact directory`);
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`);
      await rename(temp, path);
      return path;
    },
    async getJson(location) {
      try {
        return JSON.parse(await readFile(location, "utf8"));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
  };
}
