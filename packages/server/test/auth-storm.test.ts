/**
 * An authentication storm (issue 25, item 6): many requests with one password at once share one
 * password hash (scrypt) instead of queueing one each; a wrong password is still refused each
 * time and counted against the lockout. Many requests with one new token share one lookup (the
 * reconnect storm after a replica dies: issue 20).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuthorization } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p?.close());

/** The password hashes computed so far, from /metrics. */
async function checks(): Promise<number> {
  const text = await (await fetch(`${p.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith("tradai_password_checks_total "));
  return Number(line?.split(" ")[1] ?? Number.NaN);
}

describe(`authentication storms (${backend})`, () => {
  it("200 simultaneous requests with one new password compute its hash once, and all get in", async () => {
    const user = await p.user("storm", "viewer");
    const before = await checks();
    const answers = await Promise.all(
      Array.from({ length: 200 }, () =>
        fetch(`${p.url}/api/v1/auth/me`, {
          headers: { authorization: basicAuthorization(user.username, user.password) },
        }).then((r) => r.status),
      ),
    );
    expect(answers.filter((s) => s !== 200)).toEqual([]);
    expect((await checks()) - before).toBe(1);
  });

  it("200 simultaneous requests with one new token look it up once, not 200 times, and all get in", async () => {
    const { token } = await p.api.createToken({ name: "storm-token", roles: ["viewer"] });
    const reads = async () =>
      (await p.metrics.databaseStatements.get()).values.find((v) => v.labels.kind === "read")?.value ?? 0;
    const before = await reads();
    const answers = await Promise.all(
      Array.from({ length: 200 }, () =>
        fetch(`${p.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status),
      ),
    );
    expect(answers.filter((s) => s !== 200)).toEqual([]);
    // One lookup, and whatever the replica's timers read meanwhile (the feed's 2 s poll): far below 200.
    expect((await reads()) - before).toBeLessThan(20);
  });

  it("a wrong password at once from many requests is refused for each of them", async () => {
    const user = await p.user("storm2", "viewer");
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        fetch(`${p.url}/api/v1/auth/me`, {
          headers: { authorization: basicAuthorization(user.username, "not-the-password-0") },
        }).then((r) => r.status),
      ),
    );
    expect(answers).toEqual([401, 401, 401, 401, 401]);
  });
});
