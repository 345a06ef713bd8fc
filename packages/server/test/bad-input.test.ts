/** Every bad input gets a 4xx problem naming the field, and leaves nothing behind. */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { postJson, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

describe(`bad input (${backend})`, () => {
  let p: TestPlatform;
  let existing: string;

  beforeAll(async () => {
    p = await startTestPlatform();
    existing = (await p.api.createConfig({ strategy_name: "S", config_data: { a: 1 } })).config_id;
  });
  afterAll(() => p.close());

  /** Versions, strategies and activations stored, and the strategies' counters. */
  async function storeState() {
    const { rows } = await p.db.query(
      `SELECT (SELECT count(*)::int FROM config_versions) AS versions,
              (SELECT count(*)::int FROM activations) AS activations,
              (SELECT coalesce(json_agg(json_build_array(name, last_version_number) ORDER BY name), '[]') FROM strategies) AS strategies`,
    );
    return rows[0];
  }

  async function expectProblem(
    res: Awaited<ReturnType<TestPlatform["http"]>>,
    status: number,
    field?: string,
  ): Promise<void> {
    expect(res.status).toBe(status);
    expect(res.type).toContain("application/problem+json");
    expect(res.body).toMatchObject({
      status,
      title: expect.any(String),
      detail: expect.any(String),
      type: expect.stringMatching(/^urn:tradai:problem:/),
    });
    expect(res.body.request_id).toBeTruthy();
    if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  }

  const deep = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${"}".repeat(levels - 1)}`;

  const createCases: [string, string, number, string | undefined][] = [
    ["malformed JSON", '{"strategy_name":"S","config_data":{"a":', 400, undefined],
    ["config_data not an object (array)", '{"strategy_name":"S","config_data":[1,2]}', 422, "config_data"],
    ["config_data not an object (string)", '{"strategy_name":"S","config_data":"x"}', 422, "config_data"],
    ["config_data missing", '{"strategy_name":"S"}', 422, "config_data"],
    ["strategy name starting with a digit", '{"strategy_name":"1S","config_data":{}}', 422, "strategy_name"],
    ["strategy name with a space", '{"strategy_name":"My Strategy","config_data":{}}', 422, "strategy_name"],
    ["strategy name too long", `{"strategy_name":"S${"x".repeat(128)}","config_data":{}}`, 422, "strategy_name"],
    [
      "duplicate key in config_data",
      '{"strategy_name":"S","config_data":{"a":1,"b":{"c":1,"c":1}}}',
      422,
      "config_data.b.c",
    ],
    ["duplicate key at the top", '{"strategy_name":"S","strategy_name":"T","config_data":{}}', 422, "strategy_name"],
    [
      "number beyond a double",
      '{"strategy_name":"S","config_data":{"qty":12345678901234567890}}',
      422,
      "config_data.qty",
    ],
    [
      "number with more precision than a double",
      '{"strategy_name":"S","config_data":{"p":[0.1000000000000000000001]}}',
      422,
      "config_data.p[0]",
    ],
    ["__proto__ key", '{"strategy_name":"S","config_data":{"__proto__":{"x":1}}}', 422, "config_data.__proto__"],
    [
      "constructor key",
      '{"strategy_name":"S","config_data":{"x":{"constructor":1}}}',
      422,
      "config_data.x.constructor",
    ],
    ["prototype key", '{"strategy_name":"S","config_data":{"prototype":1}}', 422, "config_data.prototype"],
    ["nesting deeper than 32", `{"strategy_name":"S","config_data":${deep(33)}}`, 422, `config_data${".a".repeat(32)}`],
    ["unknown top-level field", '{"strategy_name":"S","config_data":{},"config_id":"v9-00000000"}', 422, "config_id"],
    // Text with no UTF-8 form: PostgreSQL cannot store it, and it has no canonical bytes to hash.
    [
      "a lone surrogate in a key",
      '{"strategy_name":"S","config_data":{"ok":1,"\\ud800":1}}',
      422,
      "config_data.(key 2)",
    ],
    [
      "a lone surrogate in a value",
      '{"strategy_name":"S","config_data":{"pair":"BTC\\udc00"}}',
      422,
      "config_data.pair",
    ],
    [
      "a lone surrogate deep inside",
      '{"strategy_name":"S","config_data":{"a":[{"b":"\\ud83d"}]}}',
      422,
      "config_data.a[0].b",
    ],
  ];

  for (const [name, body, status, field] of createCases) {
    it(`create with ${name}: ${status}, nothing stored`, async () => {
      const before = await storeState();
      await expectProblem(await p.http("/api/v1/configs", postJson(body)), status, field);
      expect(await storeState()).toEqual(before);
    });
  }

  it("accepts nesting of exactly 32 levels", async () => {
    const res = await p.http("/api/v1/configs", postJson(`{"strategy_name":"Deep","config_data":${deep(32)}}`));
    expect(res.status).toBe(201);
  });

  it("a body over 1 MiB: 413, nothing stored", async () => {
    const before = await storeState();
    const big = `{"strategy_name":"S","config_data":{"blob":"${"x".repeat(1024 * 1024)}"}}`;
    await expectProblem(await p.http("/api/v1/configs", postJson(big)), 413);
    expect(await storeState()).toEqual(before);
  });

  it("a body that is not JSON: 415", async () => {
    const res = await p.http("/api/v1/configs", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "a=1",
    });
    await expectProblem(res, 415);
  });

  it("unknown environment: 422 naming it, on every endpoint", async () => {
    const before = await storeState();
    const requests: [string, RequestInit | undefined][] = [
      ["/api/v1/configs?environment=qa", postJson('{"strategy_name":"S","config_data":{"z":1}}')],
      ["/api/v1/configs/S?environment=qa", undefined],
      [`/api/v1/configs/S/${existing}?environment=qa`, undefined],
      [`/api/v1/configs/S/${existing}/activate?environment=qa`, { method: "POST" }],
      [`/api/v1/configs/S/${existing}/deprecate?environment=qa`, { method: "POST" }],
    ];
    for (const [path, init] of requests) {
      const res = await p.http(path, init);
      await expectProblem(res, 422, "environment");
      expect(res.body.detail).toMatch(/unknown environment "qa"/);
    }
    await expectProblem(await p.http("/api/v1/configs/S?environment=Not_Valid"), 422, "environment");
    expect(await storeState()).toEqual(before);
  });

  it("unknown strategy or config_id: 404", async () => {
    await expectProblem(await p.http("/api/v1/configs/Nope"), 404);
    await expectProblem(await p.http("/api/v1/configs/Nope/v1-00000000"), 404);
    const res = await p.http("/api/v1/configs/S/v9-00000000");
    await expectProblem(res, 404);
    expect(res.body.detail).toMatch(/no config version "v9-00000000"/);
    const before = await storeState();
    await expectProblem(await p.http("/api/v1/configs/Nope/v1-00000000/activate", { method: "POST" }), 404);
    await expectProblem(await p.http("/api/v1/configs/S/v9-00000000/deprecate", { method: "POST" }), 404);
    expect(await storeState()).toEqual(before);
  });

  it("malformed path parameters: 422 naming them", async () => {
    await expectProblem(await p.http("/api/v1/configs/S/latest"), 422, "config_id");
    await expectProblem(await p.http("/api/v1/configs/9bad"), 422, "strategy");
  });

  it("any path segment, however malformed, gets a 4xx problem (never a 500)", async () => {
    const encoded = fc.string({ unit: "binary", minLength: 1, maxLength: 80 }).map(encodeURIComponent);
    // Any bytes, percent-encoded: mostly not UTF-8 at all, as a broken client sends them.
    const bytes = fc
      .uint8Array({ minLength: 1, maxLength: 40 })
      .map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, "0")}`).join(""));
    await fc.assert(
      fc.asyncProperty(fc.oneof(encoded, bytes), async (part) => {
        if (["%2e", "%2E", "%2e%2e", "%2E%2E", "."].includes(part)) return;
        for (const path of [
          `/api/v1/parameter-sets/${part}`,
          `/api/v1/parameter-sets/${part}/diff/${part}`,
          `/api/v1/configs/S/${part}`,
        ]) {
          const res = await p.http(path);
          expect(res.status, path).toBeGreaterThanOrEqual(400);
          expect(res.status, path).toBeLessThan(500);
          expect(res.type, path).toContain("application/problem+json");
        }
      }),
      { numRuns: 60 },
    );
    await expectProblem(await p.http("/api/v1/parameter-sets/%C0%80"), 400);
    await expectProblem(await p.http(`/api/v1/parameter-sets/${"A".repeat(64)}`), 422, "hash");
  });

  it("bad list parameters: 422 naming them", async () => {
    await expectProblem(await p.http("/api/v1/configs/S?status=retired"), 422, "status");
    await expectProblem(await p.http("/api/v1/configs/S?limit=0"), 422, "limit");
    await expectProblem(await p.http("/api/v1/configs/S?offset=-1"), 422, "offset");
  });

  it("activating an explicitly deprecated version: 409, nothing changed", async () => {
    const v = (await p.api.createConfig({ strategy_name: "S", config_data: { gone: true } })).config_id;
    await p.api.deprecateConfig("S", v);
    const before = await storeState();
    await expectProblem(await p.http(`/api/v1/configs/S/${v}/activate`, { method: "POST" }), 409);
    expect(await storeState()).toEqual(before);
  });

  it("rejected creates use up no version number", async () => {
    const next = await p.api.createConfig({ strategy_name: "S", config_data: { after: "failures" } });
    const { rows } = await p.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM config_versions WHERE strategy_name = 'S'",
    );
    expect(next.version_number).toBe(rows[0]?.n);
  });
});
