/** @module The CLI's version, from its package manifest. */
import { readFileSync } from "node:fs";

export const CLI_VERSION: string = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
).version;
