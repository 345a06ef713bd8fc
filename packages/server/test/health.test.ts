import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

describe(`health and API document (${backend})`, () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(() => platform.close());

  it("reports the database kind and that it is reachable", async () => {
    const res = await platform.http("/api/v1/health");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "ok", database: { kind: backend, reachable: true } });
  });

  it("says it is alive, and ready: the database answers, the feed is current, not shutting down", async () => {
    const live = await platform.http("/api/v1/health/live", { headers: { authorization: "" } });
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ status: "alive" });
    const ready = await platform.http("/api/v1/health/ready", { headers: { authorization: "" } });
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: "ready",
      checks: { database: { ok: true }, change_feed: { ok: true }, shutting_down: { ok: true } },
    });
    expect(ready.body.checks.artifact_store).toBeUndefined();
  });

  it("echoes a sane X-Request-Id and makes one up otherwise", async () => {
    const given = await platform.http("/api/v1/health", { headers: { "x-request-id": "cli-1234" } });
    expect(given.headers.get("x-request-id")).toBe("cli-1234");
    const bogus = await platform.http("/api/v1/health", { headers: { "x-request-id": "bad id with spaces" } });
    expect(bogus.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves the OpenAPI document listing every config endpoint, and a docs page", async () => {
    const doc = await platform.http("/api/v1/openapi.json");
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/configs",
        "/api/v1/configs/{strategy}",
        "/api/v1/configs/{strategy}/{config_id}",
        "/api/v1/configs/{strategy}/{config_id}/activate",
        "/api/v1/configs/{strategy}/{config_id}/deprecate",
        "/api/v1/health",
      ]),
    );
    const page = await platform.http("/api/v1/docs/");
    expect(page.status).toBe(200);
    expect(page.type).toContain("text/html");
  });

  it("answers unknown routes with a problem", async () => {
    const res = await platform.http("/api/v1/nope");
    expect(res.status).toBe(404);
    expect(res.type).toContain("application/problem+json");
    expect(res.body).toMatchObject({ status: 404, title: "Not found" });
  });
});
