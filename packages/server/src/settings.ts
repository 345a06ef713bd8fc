/**
 * @module Settings: `TRADAI_*` environment variables, validated once at start-up into a frozen
 * object. An invalid value stops start-up with a message naming the variable.
 */
import { ENVIRONMENT_NAME_PATTERN } from "@tradai/core";
import { z } from "zod";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);

// An empty variable counts as unset, so `TRADAI_DATABASE_URL= npm start` means "embedded".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema);

const flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const settingsFields = {
  TRADAI_HOST: optional(z.string().default("127.0.0.1")),
  TRADAI_PORT: optional(
    z.coerce.number({ error: "must be a port number from 0 to 65535" }).int().min(0).max(65535).default(8000),
  ),
  TRADAI_DATA_DIR: optional(z.string().default("./.tradai/data")),
  TRADAI_DATABASE_URL: optional(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  TRADAI_DATABASE_POOL_SIZE: optional(
    z.coerce.number({ error: "must be a whole number from 1 to 200" }).int().min(1).max(200).default(10),
  ),
  TRADAI_DATABASE_CONNECT_TIMEOUT_SECONDS: optional(
    z.coerce.number({ error: "must be a number of seconds" }).positive().max(300).default(5),
  ),
  TRADAI_DATABASE_STATEMENT_TIMEOUT_SECONDS: optional(
    z.coerce.number({ error: "must be a number of seconds" }).positive().max(3600).default(30),
  ),
  TRADAI_DATABASE_LOCK_TIMEOUT_SECONDS: optional(
    z.coerce.number({ error: "must be a number of seconds" }).positive().max(3600).default(10),
  ),
  TRADAI_MIGRATION_TIMEOUT_SECONDS: optional(
    z.coerce.number({ error: "must be a number of seconds" }).positive().max(86_400).default(600),
  ),
  TRADAI_STALE_READS_MAX: optional(
    z.coerce
      .number({ error: "must be a number of seconds (0: never serve a stale config)" })
      .min(0)
      .max(3600)
      .default(60),
  ),
  TRADAI_SHUTDOWN_GRACE_SECONDS: optional(
    z.coerce.number({ error: "must be a number of seconds" }).positive().max(600).default(20),
  ),
  TRADAI_ENVIRONMENTS: optional(
    z
      .string()
      .default("dev,staging,prod")
      .transform((s) => s.split(",").map((e) => e.trim()))
      .pipe(
        z
          .array(z.string().regex(ENVIRONMENT_NAME_PATTERN, "each name must be lower-case letters, digits or '-'"))
          .min(1)
          .refine((names) => new Set(names).size === names.length, "names must be unique"),
      ),
  ),
  TRADAI_DEFAULT_ENVIRONMENT: optional(z.string().default("dev")),
  TRADAI_DEPRECATED_TTL_DAYS: optional(
    z.coerce.number({ error: "must be a number of days" }).positive().max(36_500).default(90),
  ),
  TRADAI_PURGE_INTERVAL_SECONDS: optional(
    z.coerce.number({ error: "must be a whole number of seconds" }).int().min(1).default(3600),
  ),
  TRADAI_LOG_LEVEL: optional(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
  TRADAI_LOG_FORMAT: optional(z.enum(["auto", "pretty", "json"]).default("auto")),
  TRADAI_WORKER_METRICS_MAX: optional(
    z.coerce.number({ error: "must be a whole number of series" }).int().min(0).max(100_000).default(1000),
  ),
  TRADAI_SLOW_REQUEST_MS: optional(
    z.coerce.number({ error: "must be a number of milliseconds" }).int().min(1).max(3_600_000).default(1000),
  ),
  TRADAI_DEMO_DATA: optional(flag.default(false)),
  TRADAI_CATALOG_PRESET: optional(z.enum(["freqtrade", "none"]).default("freqtrade")),
  TRADAI_LAUNCHER: optional(z.enum(["local", "none"]).default("local")),
  TRADAI_RUN_CONCURRENCY: optional(
    z.coerce.number({ error: "must be a whole number from 1 to 64" }).int().min(1).max(64).default(2),
  ),
  TRADAI_RUN_LEASE_SECONDS: optional(
    z.coerce.number({ error: "must be a number of seconds" }).min(2).max(3600).default(30),
  ),
  TRADAI_CANCEL_GRACE_SECONDS: optional(
    z.coerce.number({ error: "must be a number of seconds" }).min(0).max(3600).default(10),
  ),
  TRADAI_WORK_DIR: optional(z.string().default("./.tradai/work")),
  TRADAI_ARTIFACTS_DIR: optional(z.string().default("./.tradai/artifacts")),
  TRADAI_MARKET_DATA_DIR: optional(z.string().optional()),
  TRADAI_RESULTS_BUCKET: optional(z.string().min(3).optional()),
  TRADAI_S3_ENDPOINT: optional(z.url({ error: "must be a URL" }).optional()),
  MLFLOW_TRACKING_URI: optional(z.url({ error: "must be an http(s) URL" }).optional()),
  TRADAI_PUBLIC_URL: optional(z.url({ error: "must be a URL" }).optional()),
  TRADAI_AUTH: optional(z.enum(["on", "off"]).default("on")),
  TRADAI_ADMIN_PASSWORD: optional(z.string().min(12, "must be at least 12 characters").optional()),
  TRADAI_RBAC_MODE: optional(z.enum(["enforce", "shadow"]).default("enforce")),
  TRADAI_SESSION_HOURS: optional(
    z.coerce
      .number({ error: "must be a number of hours" })
      .positive()
      .max(24 * 30)
      .default(12),
  ),
  TRADAI_LOGIN_TOKEN_DAYS: optional(
    z.coerce.number({ error: "must be a whole number of days" }).int().min(1).max(365).default(30),
  ),
  TRADAI_LOGIN_MAX_FAILURES: optional(
    z.coerce.number({ error: "must be a whole number from 1 to 1000" }).int().min(1).max(1000).default(10),
  ),
  TRADAI_OIDC_JWKS_URL: optional(z.url({ error: "must be a URL" }).optional()),
  TRADAI_OIDC_ISSUER: optional(z.string().optional()),
  TRADAI_OIDC_AUDIENCE: optional(z.string().optional()),
  TRADAI_OIDC_ROLES_CLAIM: optional(z.string().default("roles")),
  TRADAI_OIDC_USERNAME_CLAIM: optional(z.string().default("preferred_username")),
  TRADAI_CORS_ORIGINS: optional(
    z
      .string()
      .default("")
      .transform((s) =>
        s
          .split(",")
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ error: "each origin must be a URL, e.g. https://console.example.com" }))),
  ),
  TRADAI_TRUST_PROXY: optional(flag.default(false)),
  TRADAI_CHANGE_REQUEST_TTL_HOURS: optional(
    z.coerce
      .number({ error: "must be a number of hours" })
      .positive()
      .max(24 * 365)
      .default(72),
  ),
  TRADAI_WORKER_LAG_SECONDS: optional(
    z.coerce.number({ error: "must be a number of seconds" }).positive().max(86_400).default(30),
  ),
  TRADAI_WORKER_STALE_SECONDS: optional(
    z.coerce.number({ error: "must be a number of seconds" }).positive().max(86_400).default(60),
  ),
  TRADAI_WORKER_LAG_VERSIONS: optional(
    z.coerce.number({ error: "must be a whole number of versions" }).int().min(1).max(1000).default(1),
  ),
  TRADAI_WORKER_CHECK_SECONDS: optional(
    z.coerce.number({ error: "must be a number of seconds" }).min(0.2).max(3600).default(10),
  ),
  TRADAI_ROLLOUT_TICK_SECONDS: optional(
    z.coerce.number({ error: "must be a number of seconds" }).min(0.2).max(300).default(5),
  ),
  // A duration: "24h", "90m", "3600s", or seconds; "0" never retires.
  TRADAI_WORKER_RETIRE_AFTER: optional(
    z
      .string()
      .default("24h")
      .transform((text, ctx) => {
        const match = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$/.exec(text);
        if (!match) {
          ctx.addIssue({ code: "custom", message: 'must be a duration such as "24h", "90m", "3600s" or seconds' });
          return z.NEVER;
        }
        const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[(match[2] ?? "s") as "s" | "m" | "h" | "d"];
        return Number(match[1]) * unit;
      }),
  ),
  TRADAI_ALERT_WEBHOOK_URL: optional(z.url({ error: "must be a URL" }).optional()),
  TRADAI_LEGACY_MIRROR_INTERVAL_SECONDS: optional(
    z.coerce.number({ error: "must be a number of seconds" }).min(0.1).max(3600).default(2),
  ),
  TRADAI_AUDIT_VERIFY_INTERVAL: optional(
    z.coerce.number({ error: "must be a number of seconds" }).min(1).max(86_400).default(600),
  ),
  TRADAI_AUDIT_ANCHOR_SINK: optional(
    z
      .url({ error: "must be a file://, s3:// or http(s):// URL" })
      .refine((u) => /^(file|s3|https?):/.test(u), "must be a file://, s3:// or http(s):// URL")
      .optional(),
  ),
  TRADAI_AUDIT_ANCHOR_INTERVAL: optional(
    z.coerce.number({ error: "must be a number of seconds" }).min(1).max(86_400).default(300),
  ),
  TRADAI_TASK_DEFINITIONS: optional(
    z
      .string()
      .default("{}")
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: "custom", message: "must be JSON" });
          return z.NEVER;
        }
      })
      .pipe(
        z.record(
          z.string(),
          z.union([
            z.array(z.string().min(1)).min(1),
            // With the version of the code it runs (git SHA, image digest...), kept in every parameter set.
            z.strictObject({ command: z.array(z.string().min(1)).min(1), version: z.string().min(1).max(200) }),
          ]),
          {
            error:
              'must be a JSON object of name -> command, e.g. {"my-task":["python3","worker.py"]}, or name -> {"command": [...], "version": "git:1a2b3c"}',
          },
        ),
      ),
  ),
};

/**
 * Every variable the server reads (besides TRADAI_LEGACY_MIRROR_URL[_<ENV>]): a deployment that
 * sets another `TRADAI_*` name sets nothing (the Helm chart's test checks its names against this).
 */
export const SETTING_VARIABLES: readonly string[] = Object.freeze(Object.keys(settingsFields));

const settingsSchema = z.object(settingsFields).superRefine((s, ctx) => {
  if (!s.TRADAI_ENVIRONMENTS.includes(s.TRADAI_DEFAULT_ENVIRONMENT)) {
    ctx.addIssue({
      code: "custom",
      path: ["TRADAI_DEFAULT_ENVIRONMENT"],
      message: `must be one of TRADAI_ENVIRONMENTS (${s.TRADAI_ENVIRONMENTS.join(", ")})`,
    });
  }
  // Without authentication the server must not be reachable beyond this machine.
  if (s.TRADAI_AUTH === "off" && !LOOPBACK_HOSTS.has(s.TRADAI_HOST)) {
    ctx.addIssue({
      code: "custom",
      path: ["TRADAI_AUTH"],
      message: `may be off only while TRADAI_HOST is a loopback address (127.0.0.1, localhost, ::1), not ${s.TRADAI_HOST}`,
    });
  }
});

export interface Settings {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly databasePoolSize: number;
  /** Bounds on waiting for the database server (PostgreSQL; PGlite runs in process). */
  readonly databaseTimeouts: {
    readonly connectSeconds: number;
    readonly statementSeconds: number;
    readonly lockSeconds: number;
    readonly migrationSeconds: number;
  };
  /** How long resolve may answer from memory while the database cannot confirm it (seconds). */
  readonly staleReadsMaxSeconds: number;
  /** After SIGTERM, the process exits within this many seconds, done or not. */
  readonly shutdownGraceSeconds: number;
  readonly environments: readonly string[];
  readonly defaultEnvironment: string;
  readonly deprecatedTtlDays: number;
  readonly purgeIntervalSeconds: number;
  readonly logLevel: string;
  /** pretty: one readable line per event; json: one JSON object per line; auto: pretty on a terminal. */
  readonly logFormat: "auto" | "pretty" | "json";
  /** At most this many worker series per per-worker metric (the most lagging first). */
  readonly workerMetricsMax: number;
  /** A request slower than this is logged at info (every other successful one at debug). */
  readonly slowRequestMs: number;
  readonly demoData: boolean;
  /** The catalog preset loaded on first start (an empty database); none: start with an empty catalog. */
  readonly catalogPreset: "freqtrade" | "none";
  readonly launcher: "local" | "none";
  readonly runConcurrency: number;
  readonly runLeaseSeconds: number;
  readonly cancelGraceSeconds: number;
  readonly workDir: string;
  readonly artifactsDir: string;
  readonly marketDataDir: string | undefined;
  readonly resultsBucket: string | undefined;
  readonly s3Endpoint: string | undefined;
  readonly mlflowTrackingUri: string | undefined;
  readonly publicUrl: string | undefined;
  readonly taskDefinitions: Readonly<Record<string, string[] | { command: string[]; version: string }>>;
  readonly authentication: "on" | "off";
  readonly adminPassword: string | undefined;
  readonly rbacMode: "enforce" | "shadow";
  readonly sessionHours: number;
  readonly loginTokenDays: number;
  readonly loginMaxFailures: number;
  readonly oidc:
    | {
        readonly jwksUrl: string;
        readonly issuer: string | undefined;
        readonly audience: string | undefined;
        readonly rolesClaim: string;
        readonly usernameClaim: string;
      }
    | undefined;
  readonly corsOrigins: readonly string[];
  readonly trustProxy: boolean;
  readonly changeRequestTtlHours: number;
  readonly alertWebhookUrl: string | undefined;
  /** The tamper alarm: the whole chain checked every `verifyIntervalSeconds`; its head anchored outside. */
  readonly audit: {
    readonly verifyIntervalSeconds: number;
    readonly anchorSink: string | undefined;
    readonly anchorIntervalSeconds: number;
  };
  readonly workerLagSeconds: number;
  readonly workerStaleSeconds: number;
  /** More versions behind than this: lagging. */
  readonly workerLagVersions: number;
  /** How often this replica looks for lagging and stale workers (to alert). */
  readonly workerCheckSeconds: number;
  /** How often each replica looks at open staged rollouts: bakes done, guards tripped. */
  readonly rolloutTickSeconds: number;
  /** No heartbeat for this long: the worker is retired (0: never). */
  readonly workerRetireAfterSeconds: number;
  /** Where each environment's legacy mirror writes (a secret: from the environment, never the database). */
  readonly legacyMirror: {
    readonly urls: Readonly<Record<string, string>>;
    /** How often it looks for changes it has not written (it also wakes on each change). */
    readonly intervalSeconds: number;
  };
}

/**
 * TRADAI_LEGACY_MIRROR_URL_<ENV> (the environment's name upper-cased, other characters as `_`), else
 * TRADAI_LEGACY_MIRROR_URL: the legacy PostgreSQL database each environment's mirror writes to.
 * @throws SettingsError naming a variable that is not a postgres:// URL
 */
function legacyMirrorUrls(env: Record<string, string | undefined>, environments: readonly string[]) {
  const urls: Record<string, string> = {};
  const problems: { variable: string; message: string }[] = [];
  for (const name of environments) {
    const own = `TRADAI_LEGACY_MIRROR_URL_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
    const variable = env[own]?.trim() ? own : "TRADAI_LEGACY_MIRROR_URL";
    const url = env[variable]?.trim();
    if (!url) continue;
    if (!/^postgres(ql)?:\/\//.test(url))
      problems.push({ variable, message: "must be a postgres:// or postgresql:// URL" });
    else urls[name] = url;
  }
  if (problems.length > 0) throw new SettingsError(problems);
  return Object.freeze(urls);
}

export class SettingsError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`invalid settings:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n")}`);
    this.name = "SettingsError";
  }
}

/** @throws SettingsError naming every invalid variable */
export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    throw new SettingsError(
      parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? "settings"), message: issue.message })),
    );
  }
  const s = parsed.data;
  return Object.freeze({
    host: s.TRADAI_HOST,
    port: s.TRADAI_PORT,
    dataDir: s.TRADAI_DATA_DIR,
    databaseUrl: s.TRADAI_DATABASE_URL,
    databasePoolSize: s.TRADAI_DATABASE_POOL_SIZE,
    databaseTimeouts: Object.freeze({
      connectSeconds: s.TRADAI_DATABASE_CONNECT_TIMEOUT_SECONDS,
      statementSeconds: s.TRADAI_DATABASE_STATEMENT_TIMEOUT_SECONDS,
      lockSeconds: s.TRADAI_DATABASE_LOCK_TIMEOUT_SECONDS,
      migrationSeconds: s.TRADAI_MIGRATION_TIMEOUT_SECONDS,
    }),
    staleReadsMaxSeconds: s.TRADAI_STALE_READS_MAX,
    shutdownGraceSeconds: s.TRADAI_SHUTDOWN_GRACE_SECONDS,
    environments: Object.freeze([...s.TRADAI_ENVIRONMENTS]),
    defaultEnvironment: s.TRADAI_DEFAULT_ENVIRONMENT,
    deprecatedTtlDays: s.TRADAI_DEPRECATED_TTL_DAYS,
    purgeIntervalSeconds: s.TRADAI_PURGE_INTERVAL_SECONDS,
    logLevel: s.TRADAI_LOG_LEVEL,
    logFormat: s.TRADAI_LOG_FORMAT,
    slowRequestMs: s.TRADAI_SLOW_REQUEST_MS,
    workerMetricsMax: s.TRADAI_WORKER_METRICS_MAX,
    demoData: s.TRADAI_DEMO_DATA,
    catalogPreset: s.TRADAI_CATALOG_PRESET,
    launcher: s.TRADAI_LAUNCHER,
    runConcurrency: s.TRADAI_RUN_CONCURRENCY,
    runLeaseSeconds: s.TRADAI_RUN_LEASE_SECONDS,
    cancelGraceSeconds: s.TRADAI_CANCEL_GRACE_SECONDS,
    workDir: s.TRADAI_WORK_DIR,
    artifactsDir: s.TRADAI_ARTIFACTS_DIR,
    marketDataDir: s.TRADAI_MARKET_DATA_DIR,
    resultsBucket: s.TRADAI_RESULTS_BUCKET,
    s3Endpoint: s.TRADAI_S3_ENDPOINT,
    mlflowTrackingUri: s.MLFLOW_TRACKING_URI,
    publicUrl: s.TRADAI_PUBLIC_URL,
    taskDefinitions: Object.freeze({ ...s.TRADAI_TASK_DEFINITIONS }),
    authentication: s.TRADAI_AUTH,
    adminPassword: s.TRADAI_ADMIN_PASSWORD,
    rbacMode: s.TRADAI_RBAC_MODE,
    sessionHours: s.TRADAI_SESSION_HOURS,
    loginTokenDays: s.TRADAI_LOGIN_TOKEN_DAYS,
    loginMaxFailures: s.TRADAI_LOGIN_MAX_FAILURES,
    oidc: s.TRADAI_OIDC_JWKS_URL
      ? Object.freeze({
          jwksUrl: s.TRADAI_OIDC_JWKS_URL,
          issuer: s.TRADAI_OIDC_ISSUER,
          audience: s.TRADAI_OIDC_AUDIENCE,
          rolesClaim: s.TRADAI_OIDC_ROLES_CLAIM,
          usernameClaim: s.TRADAI_OIDC_USERNAME_CLAIM,
        })
      : undefined,
    corsOrigins: Object.freeze([...s.TRADAI_CORS_ORIGINS]),
    trustProxy: s.TRADAI_TRUST_PROXY,
    changeRequestTtlHours: s.TRADAI_CHANGE_REQUEST_TTL_HOURS,
    alertWebhookUrl: s.TRADAI_ALERT_WEBHOOK_URL,
    audit: Object.freeze({
      verifyIntervalSeconds: s.TRADAI_AUDIT_VERIFY_INTERVAL,
      anchorSink: s.TRADAI_AUDIT_ANCHOR_SINK,
      anchorIntervalSeconds: s.TRADAI_AUDIT_ANCHOR_INTERVAL,
    }),
    workerLagSeconds: s.TRADAI_WORKER_LAG_SECONDS,
    workerStaleSeconds: s.TRADAI_WORKER_STALE_SECONDS,
    workerLagVersions: s.TRADAI_WORKER_LAG_VERSIONS,
    workerCheckSeconds: s.TRADAI_WORKER_CHECK_SECONDS,
    rolloutTickSeconds: s.TRADAI_ROLLOUT_TICK_SECONDS,
    workerRetireAfterSeconds: s.TRADAI_WORKER_RETIRE_AFTER,
    legacyMirror: Object.freeze({
      urls: legacyMirrorUrls(env, s.TRADAI_ENVIRONMENTS),
      intervalSeconds: s.TRADAI_LEGACY_MIRROR_INTERVAL_SECONDS,
    }),
  });
}
