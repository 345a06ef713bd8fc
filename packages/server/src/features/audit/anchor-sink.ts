/**
 * @module Where the audit chain's head is kept outside the database (TRADAI_AUDIT_ANCHOR_SINK):
 * whoever can rewrite the database can rewrite the chain consistently, but not the heads already
 * written here. `tradai audit verify --anchors FILE` then proves the chain still holds each one.
 * - `file:///var/lib/tradai/audit-anchors.jsonl`: one JSON line per anchor, appended;
 * - `s3://bucket/prefix`: one object per anchor, `prefix/audit-anchor-<seq>.json` (TRADAI_S3_ENDPOINT applies);
 * - `https://...`: POSTed as JSON (a webhook; kind `audit_anchor`).
 */
import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { AuditAnchor } from "@tradai/core";
import { s3ArtifactStore } from "../artifacts/s3-artifact-store.js";

export interface AnchorSink {
  /** Where, for people: a path, an S3 location or a URL's origin. */
  readonly name: string;
  write(anchor: Required<AuditAnchor>): Promise<void>;
}

/** A sink from its setting (already checked by settings.ts), or undefined when not set. */
export function anchorSink(setting: string | undefined, s3Endpoint?: string): AnchorSink | undefined {
  if (!setting) return undefined;
  const url = new URL(setting);
  if (url.protocol === "file:") {
    const path = fileURLToPath(url);
    return {
      name: path,
      async write(anchor) {
        await mkdir(dirname(path), { recursive: true });
        await appendFile(path, `${JSON.stringify(anchor)}\n`, { flush: true });
      },
    };
  }
  if (url.protocol === "s3:") {
    const store = s3ArtifactStore(url.hostname, s3Endpoint);
    const prefix = url.pathname.replace(/^\/+|\/+$/g, "");
    return {
      name: setting,
      async write(anchor) {
        const key = `${prefix ? `${prefix}/` : ""}audit-anchor-${String(anchor.seq).padStart(12, "0")}.json`;
        await store.putJson(key, anchor);
      },
    };
  }
  return {
    name: url.origin,
    async write(anchor) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          kind: "audit_anchor",
          text: `audit chain head: entry ${anchor.seq}, hash ${anchor.hash}`,
          source: "tradai",
          ...anchor,
        }),
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) throw new Error(`the anchor webhook answered ${response.status}`);
    },
  };
}
