/**
 * Idempotency-Key on POSTs (issue 25, item 7): a retried submission never makes two runs, a retried
 * activation never two change requests; the first answer is replayed; the same key with another
 * request is refused; keys belong to the credential that sent them; the API client sends a key on
 * every POST and retries a lost answer with it.
 */
import { createApiClient } from "@tradai/client";
import { problemTypes } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_PASSWORD } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { SEED_BACKTEST } from "../../../test-support/backtest-requests.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

describe(`Idempotency-Key (${backend})`, () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform({ TRADAI_LAUNCHER: "none" });
  });
  afterAll(() => p?.close());

  const counts = async () =>
    (
      await p.db.query<{ runs: number; sets: number; requests: number }>(
        `SELECT (SELECT count(*)::int FROM runs) AS runs, (SELECT count(*)::int FROM parameter_sets) AS sets,
           (SELECT count(*)::int FROM change_requests) AS requests`,
      )
    ).rows[0];
  const submit = (key: string, body: unknown = { config: SEED_BACKTEST }, authorization?: string) =>
    p.http("/api/v1/backtests", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "idempotency-key": key,
        ...(authorization ? { authorization } : {}),
      },
      body: JSON.stringify(body),
    });

  it("replays the first answer to a retried submission: one run", async () => {
    const before = await counts();
    const first = await submit("submit-1");
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(first.headers.get("idempotency-replayed")).toBeNull();
    const again = await submit("submit-1");
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotency-replayed")).toBe("true");
    expect(await counts()).toEqual({ ...before, runs: (before?.runs ?? 0) + 1, sets: (before?.sets ?? 0) + 1 });
  });

  it("refuses the same key with another request, naming the header, and changes nothing", async () => {
    const before = await counts();
    const other = await submit("submit-1", { config: { ...SEED_BACKTEST, stake_amount: 500 } });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({
      type: problemTypes.idempotencyKeyReused,
      errors: [{ location: "header", field: "idempotency-key" }],
    });
    const malformed = await submit("x".repeat(256));
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors[0]).toMatchObject({ location: "header", field: "idempotency-key" });
    expect(await counts()).toEqual(before);
  });

  it("keeps keys apart per credential", async () => {
    const editor = await p.user("idem-editor", "editor");
    const before = await counts();
    const theirs = await submit(
      "submit-1",
      { config: SEED_BACKTEST },
      `Basic ${Buffer.from(`${editor.username}:${editor.password}`).toString("base64")}`,
    );
    expect(theirs.status).toBe(202);
    expect(theirs.headers.get("idempotency-replayed")).toBeNull();
    expect((await counts())?.runs).toBe((before?.runs ?? 0) + 1);
  });

  it("carries out simultaneous copies of one request once", async () => {
    const before = await counts();
    const answers = await Promise.all(Array.from({ length: 6 }, () => submit("submit-burst")));
    // Each copy is answered 202 (the first or its replay), or 409 while the first was under way.
    for (const a of answers) expect([202, 409], JSON.stringify(a.body)).toContain(a.status);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body.type).toBe(problemTypes.idempotencyKeyInUse);
      expect(a.headers.get("retry-after")).toBe("1");
    }
    const settled = await submit("submit-burst");
    expect(settled.status).toBe(202);
    for (const a of answers.filter((x) => x.status === 202)) expect(a.body.job_id).toBe(settled.body.job_id);
    expect((await counts())?.runs).toBe((before?.runs ?? 0) + 1);
  });

  it("replays a proposed activation: one change request", async () => {
    const { config_id } = await p.api.createConfig({ strategy_name: "Idem", config_data: { a: 1 } });
    const before = await counts();
    const activate = () =>
      p.http(`/api/v1/configs/Idem/${config_id}/activate?environment=prod`, {
        method: "POST",
        headers: { "idempotency-key": "activate-prod-1" },
      });
    const first = await activate();
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    const again = await activate();
    expect(again.status).toBe(202);
    expect(again.body.change_request.id).toBe(first.body.change_request.id);
    expect((await counts())?.requests).toBe((before?.requests ?? 0) + 1);
  });

  it("the API client retries a POST whose answer was lost, with its key: one run", async () => {
    let dropped = 0;
    const keys: string[] = [];
    const api = createApiClient({
      baseUrl: p.url,
      credentials: { username: "admin", password: TEST_ADMIN_PASSWORD },
      retry: { baseDelayMs: 10 },
      // The server carries the first POST out; its answer is lost on the way back.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (init?.method === "POST") keys.push(new Headers(init.headers).get("idempotency-key") ?? "");
        if (init?.method === "POST" && dropped === 0) {
          dropped++;
          await response.body?.cancel();
          throw new TypeError("fetch failed: the connection was reset");
        }
        return response;
      },
    });
    const before = await counts();
    const { job_id } = await api.submitBacktest({ config: SEED_BACKTEST });
    expect(dropped).toBe(1);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect((await counts())?.runs).toBe((before?.runs ?? 0) + 1);
    expect((await p.api.getRun(job_id)).job_id).toBe(job_id);
  });
});
