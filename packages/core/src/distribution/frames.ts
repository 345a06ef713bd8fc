/**
 * @module The frames of the change stream (`GET /api/v1/stream`, Server-Sent Events), shared by the
 * server that writes them and the libraries that read them. `snapshot`: every resolved config of
 * the subscriber's scope; `change`: one event of the feed (`id:` = seq) with the configs it touched,
 * as resolved when sent.
 */
import { z } from "zod";
import { catalogWarning } from "../catalog/warnings.js";
import { RELOAD_CLASSES } from "./changes.js";

export const changedKey = z.object({ key: z.string(), reload: z.enum(RELOAD_CLASSES) });

/** A strategy's resolved config on the wire; all null when it has none (nothing active). */
export const streamConfig = z.object({
  strategy: z.string(),
  config_version_id: z.string().nullable(),
  resolved_hash: z.string().nullable(),
  values: z.record(z.string(), z.unknown()).nullable(),
  /** what the catalog warns of in the values: a live worker refuses such a config (absent: an older server) */
  warnings: z.array(catalogWarning).optional(),
});
export type StreamConfig = z.infer<typeof streamConfig>;

export const CONFIG_EVENT_KINDS = ["activation", "deprecation", "environment_base", "catalog"] as const;
export type ConfigEventKind = (typeof CONFIG_EVENT_KINDS)[number];

export const snapshotFrame = z.object({
  seq: z.number().int(),
  environment: z.string(),
  configs: z.array(streamConfig),
});
export type SnapshotFrame = z.infer<typeof snapshotFrame>;

export const changeFrame = z.object({
  seq: z.number().int(),
  at: z.string(),
  kind: z.enum(CONFIG_EVENT_KINDS),
  environment: z.string(),
  /** null: the event concerns every strategy of the environment */
  strategy: z.string().nullable(),
  /** what the change itself made active, and the hash it resolved to then */
  config_id: z.string().nullable(),
  resolved_hash: z.string().nullable(),
  changes: z.array(changedKey),
  configs: z.array(streamConfig),
  /**
   * Over how long (ms) the workers spread the report that follows applying this change: the
   * replica scales it to the streams it holds (absent: an older server; the libraries then use 5 s).
   */
  report_within_ms: z.number().int().nonnegative().optional(),
});
export type ChangeFrame = z.infer<typeof changeFrame>;

/** The name of each frame (the SSE `event:` field) and its shape. */
export const STREAM_FRAMES = { snapshot: snapshotFrame, change: changeFrame } as const;
