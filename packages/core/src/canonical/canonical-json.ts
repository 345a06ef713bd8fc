/**
 * @module Canonical JSON (RFC 8785, JSON Canonicalization Scheme) and content hashes.
 *
 * Object keys sorted by UTF-16 code units, no whitespace, numbers in ECMAScript shortest
 * round-trip form, strings escaped as `JSON.stringify` does; then SHA-256 of the UTF-8 bytes,
 * lowercase hex. Config versions, resolved configs and parameter sets all hash through here.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import canonicalize from "canonicalize";
import type { JsonValue } from "./strict-json.js";

/** @example canonicalJson({ b: 1, a: [1.0, "x"] }) // => '{"a":[1,"x"],"b":1}' */
export function canonicalJson(value: JsonValue): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError("value has no JSON form");
  return text;
}

export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** SHA-256 (lowercase hex) of the canonical JSON of `value`. */
export function contentHash(value: JsonValue): string {
  return sha256Hex(canonicalJson(value));
}
