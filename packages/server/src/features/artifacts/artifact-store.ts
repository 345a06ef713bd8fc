/**
 * @module Where run results live: `backtests/<strategy>/<YYYY-MM-DD>/<job_id>.json`, on the local
 * filesystem (default) or in an S3 bucket (TRADAI_RESULTS_BUCKET).
 */

export interface ArtifactStore {
  /** Stores `value` as JSON under `key`; returns its location (a path or an s3:// URL). */
  putJson(key: string, value: unknown): Promise<string>;
  /** Reads the JSON at a location returned by putJson; undefined when it is not there. */
  getJson(location: string): Promise<unknown | undefined>;
}

export function backtestResultKey(strategy: string, createdAt: Date, jobId: string): string {
  return `backtests/${strategy}/${createdAt.toISOString().slice(0, 10)}/${jobId}.json`;
}
