/** @module The platform's version, from the server package's manifest. */
import { readFileSync } from "node:fs";

export const PLATFORM_VERSION: string = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
).version;
