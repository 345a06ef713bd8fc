/**
 * @module Zod without its JIT in the console. The Content-Security-Policy the server sends allows no
 * eval, and zod probes for it with `new Function` when its first object schema is built: refused,
 * caught by zod, but reported by the browser as a CSP violation (Lighthouse's best practices count
 * it). Set before any page's code (and core's schemas) loads; the server keeps the JIT.
 */
import { config } from "zod/v4/core";

config({ jitless: true });
