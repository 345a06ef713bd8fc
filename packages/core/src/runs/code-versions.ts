/**
 * @module How far apart two code versions are: the same, a patch apart (semver `x.y.z` where only
 * `z` differs), or further (minor, major, or not readable as semver at all).
 */

/** `same`: equal strings; `patch` / `minor` / `major`: the highest semver part that differs; `unreadable`: differs and cannot be read as semver. */
export type CodeVersionDistance = "same" | "patch" | "minor" | "major" | "unreadable";

export interface ReadVersion {
  /** what names the code before its version: `@tradai/reference-worker@`, `ghcr.io/acme/worker:`, or `` */
  name: string;
  major: number;
  minor: number;
  patch: number;
}

// A plain release, optionally after a name ending in `@` or `:` (package or image tag) and a `v`.
// Pre-releases and build metadata are not plain releases: `1.2.3-rc.1` is not a patch of `1.2.3`.
const SEMVER = /^((?:.*[@:])?)v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/**
 * A version as name + `major.minor.patch`, or undefined when it is not a plain semver release.
 * @example readVersion("@tradai/reference-worker@0.1.0") // { name: "@tradai/reference-worker@", major: 0, minor: 1, patch: 0 }
 */
export function readVersion(version: string): ReadVersion | undefined {
  const match = SEMVER.exec(version);
  if (!match) return undefined;
  const [, name = "", major, minor, patch] = match;
  return { name, major: Number(major), minor: Number(minor), patch: Number(patch) };
}

/**
 * How far apart `a` and `b` are. Absent on both sides is `same` (nothing recorded either way);
 * absent on one side, another name (package, image) or anything not plain semver is `unreadable`.
 * @example codeVersionDistance("1.4.2", "1.4.7") // "patch"
 */
export function codeVersionDistance(a: string | undefined, b: string | undefined): CodeVersionDistance {
  if (a === b) return "same";
  const [va, vb] = [a === undefined ? undefined : readVersion(a), b === undefined ? undefined : readVersion(b)];
  if (!va || !vb || va.name !== vb.name) return "unreadable";
  if (va.major !== vb.major) return "major";
  if (va.minor !== vb.minor) return "minor";
  return va.patch !== vb.patch ? "patch" : "same"; // `v1.2.3` is `1.2.3`
}
