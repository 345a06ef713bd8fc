/** The server hands out the built console at / (the README's start command serves it; no second server). */
import { readdirSync, readFileSync } from "node:fs";
import { get, type IncomingMessage } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuthorization, TEST_ADMIN_PASSWORD } from "../../../test-support/auth.js";
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
      // The mount point, with a line painted until the code has run.
      expect(String(res.body)).toMatch(/<div id="root">\s*<!--[^>]*-->\s*<p[^>]*>Loading the console…<\/p>\s*<\/div>/);
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

  /** A GET with raw bytes (fetch would decompress), resolved once the headers and body are in. */
  const raw = (path: string, headers: Record<string, string>, until = Number.POSITIVE_INFINITY) =>
    new Promise<{ res: IncomingMessage; body: Buffer }>((resolve, reject) => {
      const request = get(`${platform.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        const done = () => resolve({ res, body: Buffer.concat(chunks) });
        res.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          if (Buffer.concat(chunks).length >= until) {
            done();
            request.destroy();
          }
        });
        res.on("end", done);
      });
      request.on("error", reject);
    });

  it("compresses the console's files with brotli or gzip, as the browser accepts", async () => {
    const dir = consoleDirectory() as string;
    // The largest script (a chunk under the 1 KiB threshold is sent as it is).
    const [script] = readdirSync(`${dir}/assets`)
      .filter((f) => f.endsWith(".js"))
      .sort((a, b) => readFileSync(`${dir}/assets/${b}`).length - readFileSync(`${dir}/assets/${a}`).length) as [
      string,
    ];
    const file = readFileSync(`${dir}/assets/${script}`);
    const br = await raw(`/assets/${script}`, { "accept-encoding": "gzip, br" });
    expect(br.res.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(br.body).equals(file)).toBe(true);
    expect(br.body.length).toBeLessThan(file.length / 2);
    const gzip = await raw(`/assets/${script}`, { "accept-encoding": "gzip" });
    expect(gzip.res.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzip.body).equals(file)).toBe(true);
    const plain = await raw(`/assets/${script}`, {});
    expect(plain.res.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.equals(file)).toBe(true);
    expect(plain.res.headers["cache-control"]).toContain("immutable");
  });

  it("never compresses an event stream (it would be held back in the compressor)", async () => {
    const authorization = basicAuthorization("admin", TEST_ADMIN_PASSWORD);
    const stream = await raw(
      "/api/v1/stream?environment=dev",
      { authorization, accept: "text/event-stream", "accept-encoding": "gzip, br" },
      20,
    );
    expect(stream.res.headers["content-type"]).toContain("text/event-stream");
    expect(stream.res.headers["content-encoding"]).toBeUndefined();
    expect(stream.body.toString("utf8")).toMatch(/^retry: 1000/);
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
