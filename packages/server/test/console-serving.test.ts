/** The server hands out the built console at / (the README's start command serves it; no second server). */
import { readdirSync } from "node:fs";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";
import { consoleDirectory, consoleRoutes } from "../src/features/console/routes.js";

describe(`the console's files (${backend})`, () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(() => platform.close());

  const anonymous = { headers: { authorization: "" } };

  it("serves index.html at / and at every console path, without credentials, with a strict CSP", async () => {
    for (const path of ["/", "/runs/0b0e6a4e-0000-4000-8000-000000000000", "/strategies/Demo/edit?x=1"]) {
      const res = await platform.http(path, anonymous);
      expect(res.status, path).toBe(200);
      expect(res.type).toContain("text/html");
      expect(String(res.body)).toContain('<div id="root"></div>');
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(res.headers.get("cache-control")).toBe("no-cache");
    }
  });

  it("serves the hashed assets for a year, and 404s an unknown one", async () => {
    const dir = consoleDirectory();
    expect(dir, "the console is built (npm run build)").not.toBeNull();
    const script = readdirSync(`${dir}/assets`).find((f) => f.endsWith(".js"));
    const res = await platform.http(`/assets/${script}`, anonymous);
    expect(res.status).toBe(200);
    expect(res.type).toContain("javascript");
    expect(res.headers.get("cache-control")).toContain("immutable");
    expect((await platform.http("/assets/nope-123.js", anonymous)).status).toBe(404);
    const outside = await platform.http("/assets/..%2f..%2fpackage.json", anonymous);
    expect(outside.status).toBe(404);
  });

  it("keeps problem+json 404s for unknown API paths, and authentication on the API", async () => {
    const unknown = await platform.http("/api/v1/no-such-thing", anonymous);
    expect(unknown.status).toBe(404);
    expect(unknown.type).toContain("application/problem+json");
    expect((await platform.http("/api/v1/configs", anonymous)).status).toBe(401);
  });

  it("answers 503 with what to do when the console is not built", async () => {
    const app = Fastify();
    await consoleRoutes(app, null);
    const res = await app.inject({ url: "/" });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain("npm run build");
    await app.close();
  });
});
