/**
 * Every route with every role: a route must declare its action, and the permission table decides
 * who passes. A new route without a declared action fails here.
 */
import { PERMISSIONS, problemTypes, ROLES, rolesAllow } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_AUTHORIZATION, basicAuthorization } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

describe(`every route x every role (${backend})`, () => {
  let p: TestPlatform;
  const credentials: Record<string, string> = {};
  beforeAll(async () => {
    p = await startTestPlatform();
    for (const role of ROLES) {
      const user = await p.user(`walk-${role}`, role);
      credentials[role] = basicAuthorization(user.username, user.password);
    }
  });
  afterAll(() => p?.close());

  /** A concrete request for a route pattern: path parameters become "1", bodies "{}". A stream is closed once it answers. */
  const call = async (method: string, url: string, authorization: string) => {
    const path = url.replace(/:[a-z_]+/g, "1").replace(/\*$/, "index.html");
    const body = ["POST", "PUT", "PATCH"].includes(method) ? "{}" : undefined;
    const headers: Record<string, string> = {};
    if (authorization) headers.authorization = authorization;
    if (body) headers["content-type"] = "application/json";
    const controller = new AbortController();
    const response = await fetch(p.url + path, { method, headers, body, signal: controller.signal });
    if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
      controller.abort();
      return { status: response.status, headers: response.headers, body: {} };
    }
    const text = await response.text();
    let parsed: { type?: string; detail?: string } = {};
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: response.status, headers: response.headers, body: parsed };
  };

  it("every route declares an action from the permission table", () => {
    const undeclared = p.routes.filter((r) => !r.action || !(r.action in PERMISSIONS));
    expect(undeclared.map((r) => `${r.method} ${r.url}`)).toEqual([]);
    expect(p.routes.length).toBeGreaterThan(40);
  });

  it("every route that names an environment declares where, so credentials limited to others are refused", () => {
    // Lists that take an environment filter answer with what the caller may see instead.
    const filteredLists = [
      "GET /api/v1/change-requests",
      "GET /api/v1/workers",
      "GET /api/v1/catalog/shadow",
      "GET /api/v1/legacy-mirrors",
    ];
    const undeclared = p.routes
      .filter((r) => r.environmentFields.some((f) => !r.environment.includes(f as never)))
      .map((r) => `${r.method} ${r.url}`)
      .filter((key) => !filteredLists.includes(key));
    expect(undeclared).toEqual([]);
    expect(p.routes.filter((r) => r.environment.length > 0).length).toBeGreaterThan(15);
  });

  it("lets exactly the allowed roles through, refuses the others with 403, and strangers with 401", async () => {
    const outcomes: string[] = [];
    for (const route of p.routes) {
      const action = route.action;
      if (!action) continue;
      const permission = PERMISSIONS[action];
      const anonymous = await call(route.method, route.url, "");
      if (permission === "anyone") {
        expect([401, 403], `${route.method} ${route.url} is public`).not.toContain(anonymous.status);
        continue;
      }
      if (permission === "run-token") {
        // Checked by the run's own token, not by role; a caller with none hears so first (before any 422).
        expect(anonymous.status, `${route.method} ${route.url}`).toBe(401);
        continue;
      }
      expect(anonymous.status, `${route.method} ${route.url} without credentials`).toBe(401);
      expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic realm="tradai"/);
      for (const role of ROLES) {
        const res = await call(route.method, route.url, credentials[role] as string);
        const allowed = rolesAllow([role], action);
        const what = `${role} ${route.method} ${route.url} (${action}) -> ${res.status}`;
        if (allowed) expect([401, 403], what).not.toContain(res.status);
        else {
          expect(res.status, what).toBe(403);
          expect(res.body.type, what).toBe(problemTypes.forbidden);
          expect(res.body.detail, what).toContain(`walk-${role} (${role}) may not ${action}`);
        }
        outcomes.push(`${allowed ? "allowed" : "refused"}`);
      }
    }
    // The walk really exercised both sides.
    expect(outcomes.filter((o) => o === "refused").length).toBeGreaterThan(30);
    expect(outcomes.filter((o) => o === "allowed").length).toBeGreaterThan(100);
  });

  it("refuses unknown or malformed credentials with 401, never falling back to anonymous", async () => {
    for (const authorization of [
      basicAuthorization("walk-admin", "wrong-password-0"),
      basicAuthorization("nobody", "whatever-password"),
      "Bearer tdt_not-a-real-token",
      "Bearer tds_not-a-real-session",
      "Digest abc",
    ]) {
      const res = await p.http("/api/v1/configs", { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(res.body.type).toBe(problemTypes.unauthenticated);
    }
  });

  it("keeps health and metrics open, and sets security headers", async () => {
    const health = await p.http("/api/v1/health", { headers: { authorization: "" } });
    expect(health.status).toBe(200);
    expect(health.headers.get("x-content-type-options")).toBe("nosniff");
    expect(health.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(health.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
    expect(health.headers.get("content-security-policy")).toBeNull();
    // An event stream writes its own head: it carries the same headers, and its request id.
    const stream = await fetch(`${p.url}/api/v1/stream/notices`, {
      headers: { authorization: ADMIN_AUTHORIZATION, "x-request-id": "notices-1" },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("x-content-type-options")).toBe("nosniff");
    expect(stream.headers.get("x-request-id")).toBe("notices-1");
    await stream.body?.cancel();
    const changes = await fetch(`${p.url}/api/v1/stream`, { headers: { authorization: ADMIN_AUTHORIZATION } });
    expect(changes.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(changes.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(changes.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    await changes.body?.cancel();
    const metrics = await p.http("/metrics", { headers: { authorization: "" } });
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain("tradai_auth_failures_total");
    // No origin is allowed to call the API from a browser unless configured.
    const preflight = await fetch(`${p.url}/api/v1/configs`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });
});
