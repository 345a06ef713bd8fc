/**
 * @module Audit anchors (chain heads kept outside the database) from what TRADAI_AUDIT_ANCHOR_SINK
 * wrote: the file sink's JSON lines, a JSON array, or a directory of the S3 sink's objects (e.g.
 * after `aws s3 sync s3://bucket/prefix anchors/`), one anchor per `audit-anchor-*.json`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type AuditAnchor, auditAnchor } from "@tradai/core";
import { UsageError } from "../usage-error.js";

function parseAnchor(text: string, origin: string): AuditAnchor {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${origin} is not JSON: ${(error as Error).message}`);
  }
  const result = auditAnchor.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UsageError(`${origin} is not an anchor: ${issue?.path.join(".") || "(value)"}: ${issue?.message}`);
  }
  return result.data;
}

export function readAnchors(path: string): AuditAnchor[] {
  let anchors: AuditAnchor[];
  try {
    if (statSync(path).isDirectory()) {
      anchors = readdirSync(path)
        .filter((name) => /^audit-anchor-.*\.json$/.test(name))
        .sort()
        .map((name) => parseAnchor(readFileSync(join(path, name), "utf8"), join(path, name)));
    } else {
      const text = readFileSync(path, "utf8").trim();
      anchors = text.startsWith("[")
        ? (JSON.parse(text) as unknown[]).map((v, i) => parseAnchor(JSON.stringify(v), `${path} item ${i + 1}`))
        : text
            .split("\n")
            .map((line, i) => ({ line: line.trim(), n: i + 1 }))
            .filter(({ line }) => line !== "")
            .map(({ line, n }) => parseAnchor(line, `${path} line ${n}`));
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read anchors from ${path}: ${(error as Error).message}`);
  }
  if (anchors.length === 0) throw new UsageError(`${path} holds no anchors`);
  return anchors;
}
