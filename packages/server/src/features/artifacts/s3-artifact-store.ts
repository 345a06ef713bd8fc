/** @module Artifacts in an S3 bucket (or an S3-compatible store via an endpoint URL). */
import type { S3Client } from "@aws-sdk/client-s3";
import { trackedBreaker } from "../../resilience/breakers.js";
import type { ArtifactStore } from "./artifact-store.js";

// The AWS SDK loads when a bucket is first used, not with the server (most installations have none).
const loadSdk = () => import("@aws-sdk/client-s3");

export function s3ArtifactStore(bucket: string, endpoint?: string): ArtifactStore {
  let client: S3Client | undefined;
  const sdk = async () => {
    const loaded = await loadSdk();
    // Credentials and region come from the usual AWS sources (environment, profile, instance role).
    client ??= new loaded.S3Client({
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
    });
    return { ...loaded, client };
  };
  const prefix = `s3://${bucket}/`;
  // An unreachable or failing store (5xx) fails fast after 5 in a row; a missing key is an answer.
  const breaker = trackedBreaker("s3", {
    isFailure: (error) => {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      return status === undefined || status >= 500;
    },
  });
  return {
    async putJson(key, value) {
      const { client, PutObjectCommand } = await sdk();
      await breaker.run(() =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: `${JSON.stringify(value, null, 2)}\n`,
            ContentType: "application/json",
          }),
        ),
      );
      return prefix + key;
    },
    async getJson(location) {
      if (!location.startsWith(prefix)) throw new Error(`${location} is not in bucket ${bucket}`);
      const { client, GetObjectCommand, NoSuchKey } = await sdk();
      try {
        const object = await breaker.run(() =>
          client.send(new GetObjectCommand({ Bucket: bucket, Key: location.slice(prefix.length) })),
        );
        return JSON.parse((await object.Body?.transformToString()) ?? "null");
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
    },
  };
}
