/** The API client tries reads and keyed POSTs again on 503 and unreachable servers, honouring Retry-After; never other writes. */
import { describe, expect, it } from "vitest";
import { ApiProblemError, ApiUnreachableError, createApiClient } from "../../src/index.js";

const unavailable = (retryAfter?: string) =>
  new Response(
    JSON.stringify({
      type: "urn:tradai:problem:database-unavailable",
      title: "Database unavailable",
      status: 503,
      detail: "down",
    }),
    {
      status: 503,
      headers: { "content-type": "application/problem+json", ...(retryAfter ? { "retry-after": retryAfter } : {}) },
    },
  );
const ok = () => new Response(JSON.stringify({ status: "ok" }), { status: 200 });

function scripted(answers: (() => Response | Error)[]) {
  const calls: { method: string; at: number; key: string | null }[] = [];
  const fetch = (async (_url: URL, init: RequestInit) => {
    calls.push({
      method: String(init.method),
      at: Date.now(),
      key: new Headers(init.headers).get("idempotency-key"),
    });
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    const answer = next();
    if (answer instanceof Error) throw answer;
    return answer;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

describe("the API client's retries", () => {
  it("tries a read again after a 503 and a lost connection, then answers", async () => {
    const server = scripted([() => unavailable(), () => new TypeError("fetch failed"), ok]);
    const api = createApiClient({ baseUrl: "http://x", fetch: server.fetch, retry: { baseDelayMs: 1 } });
    await expect(api.health()).resolves.toEqual({ status: "ok" });
    expect(server.calls).toHaveLength(3);
  });

  it("waits what Retry-After says (up to its limit)", async () => {
    const server = scripted([() => unavailable("0.2"), ok]);
    const api = createApiClient({ baseUrl: "http://x", fetch: server.fetch, retry: { baseDelayMs: 1 } });
    await api.health();
    const [first, second] = server.calls;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(190);
  });

  it("gives up after its attempts with the last answer", async () => {
    const server = scripted([() => unavailable(), () => unavailable(), () => unavailable()]);
    const api = createApiClient({ baseUrl: "http://x", fetch: server.fetch, retry: { attempts: 2, baseDelayMs: 1 } });
    const error = await api.health().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiProblemError);
    expect((error as ApiProblemError).status).toBe(503);
    expect(server.calls).toHaveLength(3);
  });

  it("tries a POST again with the same Idempotency-Key (the server carries it out once), after a 503 or a key in use", async () => {
    const inUse = () =>
      new Response(
        JSON.stringify({ type: "urn:tradai:problem:idempotency-key-in-use", title: "in use", status: 409, detail: "" }),
        { status: 409, headers: { "content-type": "application/problem+json", "retry-after": "0" } },
      );
    const server = scripted([() => new TypeError("fetch failed"), () => unavailable("0"), inUse, ok]);
    const api = createApiClient({ baseUrl: "http://x", fetch: server.fetch, retry: { baseDelayMs: 1 } });
    await expect(api.createConfig({ strategy_name: "S", config_data: {} })).resolves.toEqual({ status: "ok" });
    expect(server.calls.map((c) => c.method)).toEqual(["POST", "POST", "POST", "POST"]);
    const keys = new Set(server.calls.map((c) => c.key));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    // Another call, another key.
    const second = scripted([ok]);
    await createApiClient({ baseUrl: "http://x", fetch: second.fetch }).createConfig({
      strategy_name: "S",
      config_data: {},
    });
    expect(second.calls[0]?.key).not.toBe([...keys][0]);
  });

  it("never retries a write without a key: a lost answer does not say whether it happened", async () => {
    const server = scripted([() => new TypeError("fetch failed"), ok]);
    const api = createApiClient({
      baseUrl: "http://x",
      fetch: server.fetch,
      retry: { baseDelayMs: 1 },
      idempotencyKeys: false,
    });
    await expect(api.createConfig({ strategy_name: "S", config_data: {} })).rejects.toBeInstanceOf(ApiUnreachableError);
    expect(server.calls.map((c) => c.method)).toEqual(["POST"]);
    expect(server.calls[0]?.key).toBeNull();
    const put = scripted([() => new TypeError("fetch failed"), ok]);
    const keyed = createApiClient({ baseUrl: "http://x", fetch: put.fetch, retry: { baseDelayMs: 1 } });
    await expect(keyed.putEnvironmentBase("dev", {})).rejects.toBeInstanceOf(ApiUnreachableError);
    expect(put.calls.map((c) => c.method)).toEqual(["PUT"]);
  });
});
