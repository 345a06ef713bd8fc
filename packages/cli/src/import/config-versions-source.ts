/**
 * @module Reading the legacy config registry: a DynamoDB JSON export of the config-versions table
 * (typed attribute values: `aws dynamodb scan` output, or the JSON lines of a table export to S3),
 * and the strategies' YAML configs from an S3 bucket (`{prefix}{strategy}.yaml`) or a directory.
 * Reads only; the server checks every field.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { LegacyConfigFile } from "@tradai/core";
import { parse as parseYaml } from "yaml";
import { UsageError } from "../usage-error.js";

type AttributeMap = Parameters<typeof unmarshall>[0];

/** The items of the export, each unmarshalled; config_data stored as a JSON string is parsed. */
export function readDynamoExport(file: string): Record<string, unknown>[] {
  const text = readFileSync(file, "utf8");
  let typed: AttributeMap[];
  try {
    const trimmed = text.trimStart();
    if (trimmed.startsWith("[")) typed = JSON.parse(text);
    else if (trimmed.startsWith("{") && /^\s*\{\s*"Items"\s*:/.test(text)) typed = JSON.parse(text).Items;
    else {
      // A table export: one {"Item": {...}} per line.
      typed = text
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l, i) => {
          try {
            return (JSON.parse(l) as { Item: AttributeMap }).Item;
          } catch (error) {
            throw new UsageError(`${file}: line ${i + 1} is not valid JSON (${(error as Error).message})`);
          }
        });
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(typed)) throw new UsageError(`${file}: expected {"Items": [...]}, an array, or JSON lines`);
  return typed.map((item, i) => {
    let plain: Record<string, unknown>;
    try {
      plain = unmarshall(item);
    } catch (error) {
      throw new UsageError(`${file}: item ${i + 1} is not a DynamoDB item (${(error as Error).message})`);
    }
    if (typeof plain.config_data === "string") {
      try {
        plain.config_data = JSON.parse(plain.config_data);
      } catch {
        throw new UsageError(`${file}: item ${i + 1} (${plain.config_id}): config_data is a string, not JSON`);
      }
    }
    return plain;
  });
}

function configOf(text: string, where: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new UsageError(`${where}: not valid YAML (${(error as Error).message.split("\n")[0]})`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UsageError(`${where}: expected a mapping of config keys`);
  }
  return parsed as Record<string, unknown>;
}

const YAML = /\.ya?ml$/;

/** `DIR/{strategy}.yaml` (or .yml). */
export function readConfigDir(dir: string): LegacyConfigFile[] {
  return readdirSync(dir)
    .filter((name) => YAML.test(name))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      return { strategy: basename(name).replace(YAML, ""), path, values: configOf(readFileSync(path, "utf8"), path) };
    });
}

/** `s3://bucket/prefix`: every `{prefix}{strategy}.yaml` (or .yml) directly under the prefix. */
export async function readConfigBucket(url: string, endpoint?: string): Promise<LegacyConfigFile[]> {
  // The AWS SDK loads only for a bucket: every other command starts without it.
  const { GetObjectCommand, ListObjectsV2Command, S3Client } = await import("@aws-sdk/client-s3");
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) throw new UsageError(`--s3 ${url}: expected s3://bucket/prefix`);
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
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const files: LegacyConfigFile[] = [];
  for (const key of keys.sort()) {
    const name = key.slice(prefix.length);
    if (!YAML.test(name) || name.includes("/")) continue;
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const path = `s3://${bucket}/${key}`;
    files.push({
      strategy: name.replace(YAML, ""),
      path,
      values: configOf((await object.Body?.transformToString()) ?? "", path),
    });
  }
  return files;
}
