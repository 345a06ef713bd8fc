/**
 * @module Typed client of the platform's REST API, used by the CLI (and later the console and
 * workers). Every failure becomes an ApiProblemError or ApiUnreachableError.
 * @example
 * const api = createApiClient({ baseUrl: "http://localhost:8000" });
 * const { config_id } = await api.createConfig({ strategy_name: "StochRsiStrategy", config_data: { stoploss: -0.02 } });
 */
import type {
  ConfigVersion,
  ConfigVersionList,
  CreateConfigResponse,
  DeprecateConfigResponse,
  EnvironmentBase,
  HealthResponse,
  ParameterSetDiff,
  ParameterSetResponse,
  Problem,
  ResolvedConfig,
  Run,
  RunComparison,
  RunList,
  RunLogs,
  RunStatus,
  RunTrace,
  StrategyList,
  SubmitBacktestBody,
  SubmitBacktestResponse,
  SubmitSweepBody,
  SubmitSweepResponse,
  SweepView,
  VersionStatus,
} from "@tradai/core";
import { problemTypes } from "@tradai/core";
import { catalogMethods } from "./catalog-client.js";
import { ApiProblemError, ApiUnreachableError } from "./errors.js";
import { type Governed, governanceMethods } from "./governance-client.js";
import { importMethods } from "./import-client.js";

/** Credentials: a bearer token (service account, `tradai login`, OIDC) or a user's password (HTTP Basic). */
export type ApiCredentials = { token: string } | { username: string; password: string };

export interface ApiClientOptions {
  baseUrl: string;
  credentials?: ApiCredentials | undefined;
  /** Sent as X-Request-Id so one id follows the call into the server's log. */
  requestId?: () => string;
  fetch?: typeof fetch;
  /**
   * Reads (GET, HEAD), and POSTs sent with an Idempotency-Key, that meet an unreachable server or
   * a 503 are tried again, waiting what the server's Retry-After says or an exponential backoff
   * with jitter (at most `maxDelayMs` each). Other writes are never retried: a lost answer does not
   * say whether they happened. Default: 3 more attempts, from 250 ms, at most 5 s each. `false`:
   * try once.
   */
  retry?: false | { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /**
   * Each POST carries a fresh Idempotency-Key (the same on its retries), so the server carries it
   * out at most once: a retry after a lost answer gets the first answer. Default true.
   */
  idempotencyKeys?: boolean;
}

export interface EnvironmentOption {
  environment?: string | undefined;
}

type Query = Record<string, string | number | undefined>;

/** An HTTP Basic header; user and password are UTF-8 (btoa alone takes only Latin-1). */
export const basicAuthorization = (username: string, password: string) =>
  `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${username}:${password}`)))}`;

/** One HTTP call: the parsed JSON answer, or an ApiProblemError / ApiUnreachableError. */
export type ApiCall = <T>(method: string, path: string, query?: Query, body?: string) => Promise<T>;

export function createApiClient(options: ApiClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const given = options.credentials;
  const authorization = !given
    ? undefined
    : "token" in given
      ? `Bearer ${given.token}`
      : basicAuthorization(given.username, given.password);

  const retry = options.retry === false ? { attempts: 0 } : (options.retry ?? {});
  const attempts = retry.attempts ?? 3;
  const baseDelayMs = retry.baseDelayMs ?? 250;
  const maxDelayMs = retry.maxDelayMs ?? 5000;

  /** How long to wait before try `n` (1-based) after `error`: the server's Retry-After, or backoff with jitter. */
  function delayBefore(n: number, error: unknown): number {
    const after = error instanceof ApiProblemError ? error.retryAfterSeconds : undefined;
    const backoff = baseDelayMs * 2 ** (n - 1) * (0.5 + Math.random() / 2);
    return Math.min(maxDelayMs, after !== undefined ? after * 1000 : backoff);
  }
  const retriable = (error: unknown, keyed: boolean) =>
    error instanceof ApiUnreachableError ||
    (error instanceof ApiProblemError &&
      (error.status === 503 || (keyed && error.problem.type === problemTypes.idempotencyKeyInUse)));

  /** `sendOnce`, tried again for reads and keyed POSTs that meet an unreachable server or a 503 (see ApiClientOptions.retry). */
  async function send(method: string, path: string, query: Query, body: string | undefined, accept: string) {
    const keyed = method === "POST" && options.idempotencyKeys !== false;
    const idempotent = method === "GET" || method === "HEAD" || keyed;
    const extra: Record<string, string> = keyed ? { "idempotency-key": globalThis.crypto.randomUUID() } : {};
    for (let n = 1; ; n++) {
      try {
        return await sendOnce(method, path, query, body, accept, extra);
      } catch (error) {
        if (!idempotent || n > attempts || !retriable(error, keyed)) throw error;
        await new Promise((r) => setTimeout(r, delayBefore(n, error)));
      }
    }
  }

  /** The response of a successful call; a failure becomes an ApiProblemError or ApiUnreachableError. */
  async function sendOnce(
    method: string,
    path: string,
    query: Query,
    body: string | undefined,
    accept: string,
    extra: Record<string, string>,
  ) {
    const url = new URL(baseUrl + path);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept, ...extra };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (options.requestId) headers["x-request-id"] = options.requestId();
    if (authorization) headers.authorization = authorization;
    let response: Response;
    try {
      response = await doFetch(url, { method, headers, body });
    } catch (error) {
      throw new ApiUnreachableError(baseUrl, error);
    }
    if (response.ok) return response;
    const text = await response.text();
    let problem: Partial<Problem> | undefined;
    try {
      problem = text === "" ? undefined : (JSON.parse(text) as Partial<Problem>);
    } catch {
      problem = undefined;
    }
    const retryAfter = Number(response.headers.get("retry-after"));
    throw new ApiProblemError(
      {
        type: problem?.type ?? "about:blank",
        title: problem?.title ?? response.statusText,
        status: response.status,
        detail: problem?.detail ?? (text.slice(0, 500) || `HTTP ${response.status}`),
        ...(problem?.errors ? { errors: problem.errors } : {}),
        ...(problem?.request_id ? { request_id: problem.request_id } : {}),
      },
      Number.isFinite(retryAfter) && retryAfter >= 0 && response.headers.has("retry-after") ? retryAfter : undefined,
    );
  }

  async function call<T>(method: string, path: string, query: Query = {}, body?: string): Promise<T> {
    const text = await (await send(method, path, query, body, "application/json")).text();
    try {
      return (text === "" ? undefined : JSON.parse(text)) as T;
    } catch {
      return undefined as T;
    }
  }

  const seg = encodeURIComponent;

  return {
    health: () => call<HealthResponse>("GET", "/api/v1/health"),

    /** Create a version; `deduplicated` says identical content already existed. */
    createConfig: (
      input: { strategy_name: string; config_data: Record<string, unknown>; description?: string | undefined },
      opts: EnvironmentOption = {},
    ) =>
      call<CreateConfigResponse>("POST", "/api/v1/configs", { environment: opts.environment }, JSON.stringify(input)),

    /**
     * Create a version from config data given as JSON text, sent as written so that the server's
     * strict checks (duplicate keys, inexact numbers) see exactly what the user wrote.
     */
    createConfigFromJsonText: (
      input: { strategy_name: string; config_data_json: string; description?: string | undefined },
      opts: EnvironmentOption = {},
    ) => {
      const head = JSON.stringify({
        strategy_name: input.strategy_name,
        ...(input.description !== undefined ? { description: input.description } : {}),
      });
      const body = `${head.slice(0, -1)},"config_data":${input.config_data_json}}`;
      return call<CreateConfigResponse>("POST", "/api/v1/configs", { environment: opts.environment }, body);
    },

    listStrategies: () => call<StrategyList>("GET", "/api/v1/configs"),

    listConfigs: (
      strategy: string,
      opts: EnvironmentOption & { status?: VersionStatus | undefined; limit?: number; offset?: number } = {},
    ) =>
      call<ConfigVersionList>("GET", `/api/v1/configs/${seg(strategy)}`, {
        environment: opts.environment,
        status: opts.status,
        limit: opts.limit,
        offset: opts.offset,
      }),

    showConfig: (strategy: string, configId: string, opts: EnvironmentOption = {}) =>
      call<ConfigVersion>("GET", `/api/v1/configs/${seg(strategy)}/${seg(configId)}`, {
        environment: opts.environment,
      }),

    deprecateConfig: (strategy: string, configId: string, opts: EnvironmentOption & { reason?: string } = {}) =>
      call<DeprecateConfigResponse>(
        "POST",
        `/api/v1/configs/${seg(strategy)}/${seg(configId)}/deprecate`,
        { environment: opts.environment },
        opts.reason !== undefined ? JSON.stringify({ reason: opts.reason }) : undefined,
      ),

    /** One backtest per point of the grid of `over` (the catalog's allowed values, steps or variants), one sweep id. */
    submitSweep: (body: SubmitSweepBody, opts: EnvironmentOption = {}) =>
      call<SubmitSweepResponse>("POST", "/api/v1/sweeps", { environment: opts.environment }, JSON.stringify(body)),
    getSweep: (sweepId: string) => call<SweepView>("GET", `/api/v1/sweeps/${seg(sweepId)}`),
    submitBacktest: (body: SubmitBacktestBody, opts: EnvironmentOption = {}) =>
      call<SubmitBacktestResponse>(
        "POST",
        "/api/v1/backtests",
        { environment: opts.environment },
        JSON.stringify(body),
      ),

    listRuns: (
      filter: {
        strategy?: string | undefined;
        status?: RunStatus | undefined;
        config_version_id?: string | undefined;
        parameter_set_hash?: string | undefined;
        experiment?: string | undefined;
        sweep_id?: string | undefined;
        limit?: number | undefined;
        offset?: number | undefined;
      } = {},
    ) => call<RunList>("GET", "/api/v1/backtests", filter),

    getRun: (jobId: string) => call<Run>("GET", `/api/v1/backtests/${seg(jobId)}`),
    cancelRun: (jobId: string) => call<Run>("POST", `/api/v1/backtests/${seg(jobId)}/cancel`),
    rerun: (jobId: string) => call<SubmitBacktestResponse>("POST", `/api/v1/backtests/${seg(jobId)}/rerun`),
    runLogs: (jobId: string, opts: { after?: number; limit?: number } = {}) =>
      call<RunLogs>("GET", `/api/v1/backtests/${seg(jobId)}/logs`, opts),
    /** What comparing run `a` with run `b` allows (strict, relaxed, forbidden), and why; metrics with b - a. */
    compareRuns: (a: string, b: string) => call<RunComparison>("GET", "/api/v1/runs/compare", { a, b }),
    traceRun: (jobId: string) => call<RunTrace>("GET", `/api/v1/backtests/${seg(jobId)}/trace`),
    /** The run's report as PDF bytes (`GET /api/v1/backtests/{job_id}/report.pdf`). */
    runReportPdf: async (jobId: string): Promise<Uint8Array> => {
      const response = await send(
        "GET",
        `/api/v1/backtests/${seg(jobId)}/report.pdf`,
        {},
        undefined,
        "application/pdf",
      );
      return new Uint8Array(await response.arrayBuffer());
    },
    runEquity: (jobId: string) =>
      call<{ job_id: string; equity_curve: { time: string; equity: number }[] }>(
        "GET",
        `/api/v1/backtests/${seg(jobId)}/equity`,
      ),

    resolve: (strategy: string, opts: EnvironmentOption & { explain?: boolean } = {}) =>
      call<ResolvedConfig>("GET", `/api/v1/resolve/${seg(strategy)}`, {
        environment: opts.environment,
        explain: opts.explain ? "true" : undefined,
      }),
    getEnvironmentBase: (environment: string) =>
      call<EnvironmentBase>("GET", `/api/v1/environments/${seg(environment)}/base`),
    /** Applied, or a change request where it alters what an approval-requiring environment resolves, or a critical value. */
    putEnvironmentBase: (
      environment: string,
      values: Record<string, unknown>,
      opts: { freezeOverrideReason?: string | undefined } = {},
    ) =>
      call<Governed<EnvironmentBase>>(
        "PUT",
        `/api/v1/environments/${seg(environment)}/base`,
        {},
        JSON.stringify({ values, freeze_override_reason: opts.freezeOverrideReason }),
      ),

    getParameterSet: (hash: string) => call<ParameterSetResponse>("GET", `/api/v1/parameter-sets/${seg(hash)}`),
    diffParameterSets: (a: string, b: string) =>
      call<ParameterSetDiff>("GET", `/api/v1/parameter-sets/${seg(a)}/diff/${seg(b)}`),

    // The catalog: parameters, rules, policies, revisions (catalog-client.ts).
    ...catalogMethods(call),
    // Activation, change requests, environments, audit, sessions, users, tokens (governance-client.ts).
    ...governanceMethods(call),
    ...importMethods(call),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
