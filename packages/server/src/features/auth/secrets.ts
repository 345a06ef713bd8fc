/**
 * @module Bearer secrets: session tokens (`tds_`) and service-account tokens (`tdt_`), 256 random
 * bits each. Only their SHA-256 is stored; being random, they need no slow hash.
 */
import { createHash, randomBytes } from "node:crypto";

export const SESSION_PREFIX = "tds_";
export const SERVICE_TOKEN_PREFIX = "tdt_";

export const newSecret = (prefix: string) => prefix + randomBytes(32).toString("base64url");

export const secretHash = (secret: string) => createHash("sha256").update(secret).digest("hex");
