/**
 * @module The console's one HTTP client: same-origin fetch with the session cookie, JSON in and
 * out, a request id on every call, and every failure turned into an `ApiError` that keeps the
 * server's problem+json (so a page can show each field error next to its field).
 */
import type { FieldError, Problem } from "@tradai/core";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title);
    this.name = "ApiError";
  }

  /** The field errors, keyed by the field's dotted path ("config_data.risk.stoploss"). */
  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }

  /** The message the server gave for this field path, if any. */
  messageFor(field: string): string | undefined {
    return this.fieldErrors.find((e) => e.field === field)?.message;
  }
}

export interface ApiRequest {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null | readonly string[]>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The API path with its query string; empty and undefined values are left out. */
export function apiUrl(path: string, query: ApiRequest["query"] = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) for (const v of value) params.append(name, v);
    else params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function requestId(): string {
  return `console-${crypto.randomUUID()}`;
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (body && typeof body === "object" && typeof body.title === "string") {
      return { detail: body.title, ...body, status: response.status } as Problem;
    }
  } catch {
    // not JSON: fall through to a problem made from the status line
  }
  return {
    type: "about:blank",
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    detail: text.slice(0, 500) || `the server answered ${response.status} ${response.statusText}`,
  };
}

/** Calls the API; gives the status with the parsed body (200 applied vs 202 change request, 201 vs 200). */
export async function apiWithStatus<T>(path: string, request: ApiRequest = {}): Promise<{ status: number; body: T }> {
  // X-Requested-With: the server then answers 401 without a Basic challenge (no browser password prompt).
  const headers: Record<string, string> = {
    "x-request-id": requestId(),
    "x-requested-with": "tradai-console",
    ...request.headers,
  };
  let body: string | undefined;
  if (request.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(request.body);
  }
  let response: Response;
  try {
    response = await fetch(apiUrl(path, request.query), {
      method: request.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      body,
      credentials: "same-origin",
      signal: request.signal,
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, {
      type: "urn:tradai:problem:network",
      title: "The server cannot be reached",
      status: 0,
      detail: `the request to ${path} failed: ${(error as Error).message}`,
    });
  }
  if (!response.ok) {
    const problem = await problemOf(response);
    // A session that ended (expired, revoked) sends the user back to the sign-in page.
    if (response.status === 401 && path !== "/api/v1/auth/login") {
      window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
    }
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) return { status: 204, body: undefined as T };
  const type = response.headers.get("content-type") ?? "";
  const parsed = type.includes("json") ? await response.json() : await response.text();
  return { status: response.status, body: parsed as T };
}

/** Calls the API and returns the parsed JSON body (undefined for 204). Throws `ApiError`. */
export async function api<T>(path: string, request: ApiRequest = {}): Promise<T> {
  return (await apiWithStatus<T>(path, request)).body;
}

/** Fired on window when the server says the session is gone. */
export const UNAUTHENTICATED_EVENT = "tradai:unauthenticated";
