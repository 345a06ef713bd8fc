/** @module Credentials the test platforms start with: `admin` with a known password. */

export const TEST_ADMIN_PASSWORD = "test-admin-password-0";

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

export const ADMIN_AUTHORIZATION = basicAuthorization("admin", TEST_ADMIN_PASSWORD);

/** Environment for a CLI child process acting as the test admin. */
export const ADMIN_CLI_ENV = { TRADAI_USER: "admin", TRADAI_PASSWORD: TEST_ADMIN_PASSWORD };

/** fetch as the test admin (HTTP Basic), for tests that call the API directly. */
export function adminFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("authorization")) headers.set("authorization", ADMIN_AUTHORIZATION);
  return fetch(input, { ...init, headers });
}
