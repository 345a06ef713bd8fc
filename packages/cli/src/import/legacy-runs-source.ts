/**
 * @module Reading runs from before the migration: the legacy run table (`finetune_runs`) from its
 * database or a JSON export of it, or the results bucket's `backtests/<STRATEGY>/<DATE>/<JOB_ID>.json`
 * from S3 or a directory. Core maps them (legacyRunsOf, legacyRunOfResult); its refusals are usage
 * errors naming the row and column.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import {
  type LegacyRun,
  LegacyRunsError,
  type LegacyRunsShape,
  legacyRunOfResult,
  legacyRunsOf,
  quotedLegacyIdentifier,
} from "@tradai/core";
import { UsageError } from "../usage-error.js";
import { withoutPassword } from "./legacy-db-source.js";

function mapped<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof LegacyRunsError || error instanceof SyntaxError) throw new UsageError(error.message);
    throw error;
  }
}

/** `{"finetune_runs": [rows]}` or `[rows]`. */
export function readRunsExport(file: string, shape: LegacyRunsShape, strategy?: string): LegacyRun[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`${file}: not readable JSON (${(error as Error).message})`);
  }
  const rows = Array.isArray(parsed) ? parsed : (parsed as Record<string, unknown>)?.[shape.table];
  if (!Array.isArray(rows)) throw new UsageError(`${file}: expected [rows] or {"${shape.table}": [rows]}`);
  return mapped(() => legacyRunsOf(rows as Record<string, unknown>[], shape, strategy));
}

export async function readRunsDatabase(url: string, shape: LegacyRunsShape, strategy?: string): Promise<LegacyRun[]> {
  // The PostgreSQL driver loads only for a legacy database: every other command starts without it.
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`cannot reach the legacy database ${withoutPassword(url)}: ${(error as Error).message}`);
  }
  try {
    const table = mapped(() => quotedLegacyIdentifier(shape.table));
    const started = mapped(() => quotedLegacyIdentifier(shape.startedColumn));
    const { rows } = await client
      .query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${started}`)
      .catch((error: Error) => {
        throw new UsageError(`reading ${shape.table}: ${error.message}`);
      });
    return mapped(() => legacyRunsOf(rows, shape, strategy));
  } finally {
    await client.end().catch(() => {});
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** DIR/<STRATEGY>/<DATE>/<JOB_ID>.json */
export function readResultsDir(dir: string): LegacyRun[] {
  return filesUnder(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((path) =>
      mapped(() => legacyRunOfResult(relative(dir, path), path, JSON.parse(readFileSync(path, "utf8")) as unknown)),
    );
}

/** s3://bucket/prefix: every <STRATEGY>/<DATE>/<JOB_ID>.json under the prefix. */
export async function readResultsBucket(url: string, endpoint?: string): Promise<LegacyRun[]> {
  // The AWS SDK loads only for a bucket: every other command starts without it.
  const { GetObjectCommand, ListObjectsV2Command, S3Client } = await import("@aws-sdk/client-s3");
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) throw new UsageError(`--results ${url}: expected s3://bucket/prefix`);
  const [, bucket, prefix] = match as unknown as [string, string, string];
  const client = new S3Client({
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
  });
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) if (o.Key?.endsWith(".json")) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const runs: LegacyRun[] = [];
  for (const key of keys.sort()) {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = (await object.Body?.transformToString()) ?? "";
    runs.push(mapped(() => legacyRunOfResult(key.slice(prefix.length), `s3://${bucket}/${key}`, JSON.parse(text))));
  }
  return runs;
}
