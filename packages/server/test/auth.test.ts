/** Authentication: passwords, sessions, service tokens (scoped, revocable), OIDC, rate limiting, shadow RBAC, auth off. */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { problemTypes } from "@tradai/core";
import { loadSettings, startPlatform } from "@tradai/server";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuthorization } from "../../../test-support/auth.js";
import { backend, freshDatabase } from "../../../test-support/backend.js";
import { eventually, postJson, refusal, startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";
import { openSse } from "../../../test-support/sse-client.js";
import { changeKernel } from "../src/changes/kernel.js";
import { migrate } from "../src/db/migrate.js";
import { ensureFirstAdmin } from "../src/features/auth/bootstrap.js";
import { verifyPassword } from "../src/features/auth/passwords.js";
import { kernelSources } from "../src/kernel-sources.js";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe(`authentication (${backend})`, () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform({ TRADAI_LOGIN_MAX_FAILURES: "3" });
  });
  afterAll(() => p?.close());

  it("stores passwords only as scrypt hashes", async () => {
    await p.user("dora", "viewer");
    const { rows } = await p.db.query<{ password_hash: string }>(
      "SELECT password_hash FROM users WHERE username = 'dora'",
    );
    const stored = rows[0]?.password_hash ?? "";
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(stored).not.toContain("dora-password-0");
    expect(await verifyPassword("dora-password-0", stored)).toBe(true);
    expect(await verifyPassword("dora-password-1", stored)).toBe(false);
    const weak = await p.http("/api/v1/users", postJson('{"username":"eve","role":"viewer","password":"short"}'));
    expect(weak.status).toBe(422);
    expect(weak.body.errors).toEqual([expect.objectContaining({ field: "password", location: "body" })]);
  });

  it("service tokens: shown once, stored as SHA-256 only, scoped to roles and environments, revocable", async () => {
    const created = await p.http(
      "/api/v1/tokens",
      postJson(JSON.stringify({ name: "deployer", roles: ["editor"], environments: ["dev"], expires_in_days: 7 })),
    );
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^tdt_[\w-]{43}$/);
    const { rows } = await p.db.query<Record<string, unknown>>("SELECT * FROM service_tokens WHERE name = 'deployer'");
    expect(rows[0]?.secret_hash).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect((await p.http("/api/v1/tokens")).body.items[0]).not.toHaveProperty("token");

    const me = await p.http("/api/v1/auth/me", { headers: bearer(token) });
    expect(me.body).toEqual({
      name: "token:deployer",
      kind: "token",
      roles: ["editor"],
      environments: ["dev"],
      person: "admin", // a token acts for the person who made it
    });
    // Use is recorded, at most once a minute (requests stay reads).
    const usedAt = async () =>
      (
        await p.db.query<{ last_used_at: Date | null }>(
          "SELECT last_used_at FROM service_tokens WHERE name = 'deployer'",
        )
      ).rows[0]?.last_used_at;
    const firstUse = await usedAt();
    expect(firstUse).toBeInstanceOf(Date);
    await p.http("/api/v1/auth/me", { headers: bearer(token) });
    expect(await usedAt()).toEqual(firstUse);
    const v = await p.api.createConfig({ strategy_name: "Tk", config_data: { t: 1 } });
    expect(
      (await p.http(`/api/v1/configs/Tk/${v.config_id}/activate`, { method: "POST", headers: bearer(token) })).status,
    ).toBe(200);
    const elsewhere = await p.http(`/api/v1/configs/Tk/${v.config_id}/activate?environment=staging`, {
      method: "POST",
      headers: bearer(token),
    });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.detail).toBe("token:deployer may act only in dev, not in staging");
    expect(
      (
        await p.http("/api/v1/catalog", {
          ...postJson("{}"),
          headers: { ...bearer(token), "content-type": "application/json" },
        })
      ).status,
    ).toBe(403);

    expect((await p.http(`/api/v1/tokens/${created.body.id}`, { method: "DELETE" })).body.revoked_by).toBe("admin");
    const revoked = await p.http("/api/v1/configs", { headers: bearer(token) });
    expect(revoked.status).toBe(401);
    expect(revoked.body.detail).toBe("the token is unknown, expired or revoked");
    const refused = await p.http(
      "/api/v1/tokens",
      postJson(JSON.stringify({ name: "bad-scope", roles: ["viewer"], environments: ["qa"] })),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe("environments[0]");
  });

  it("an expired token is refused, even one the server remembers as checked", async () => {
    const { token } = await p.api.createToken({ name: "short-lived", roles: ["viewer"] });
    await p.db.query("UPDATE service_tokens SET expires_at = now() + interval '1 second' WHERE name = 'short-lived'");
    expect((await p.http("/api/v1/configs", { headers: bearer(token) })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await p.http("/api/v1/configs", { headers: bearer(token) })).status).toBe(401);
  });

  it("a revoked token and a disabled user are refused at once here, and within moments on every other replica", async () => {
    const replica = await startPlatform(
      loadSettings({ TRADAI_PORT: "0", TRADAI_LOG_LEVEL: "silent", TRADAI_LAUNCHER: "none" }),
      p.db,
    );
    try {
      const { token, id } = await p.api.createToken({ name: "revoked-soon", roles: ["viewer"] });
      const user = await p.user("rita", "viewer");
      const basic = { authorization: basicAuthorization(user.username, user.password) };
      for (const url of [p.url, replica.url]) {
        expect((await fetch(`${url}/api/v1/configs`, { headers: bearer(token) })).status).toBe(200);
        expect((await fetch(`${url}/api/v1/configs`, { headers: basic })).status).toBe(200);
      }
      await p.api.revokeToken(id);
      await p.api.updateUser("rita", { disabled: true });
      expect((await fetch(`${p.url}/api/v1/configs`, { headers: bearer(token) })).status).toBe(401);
      expect((await fetch(`${p.url}/api/v1/configs`, { headers: basic })).status).toBe(401);
      // The other replica hears of it through NOTIFY (delivered on commit, read asynchronously).
      await eventually(
        async () => {
          const [viaToken, viaBasic] = await Promise.all([
            fetch(`${replica.url}/api/v1/configs`, { headers: bearer(token) }),
            fetch(`${replica.url}/api/v1/configs`, { headers: basic }),
          ]);
          return viaToken.status === 401 && viaBasic.status === 401 ? true : undefined;
        },
        "the other replica refusing them",
        2000,
      );
    } finally {
      await replica.close();
    }
  });

  it("console sessions: an HttpOnly SameSite=Strict cookie that logout ends", async () => {
    const login = await fetch(
      `${p.url}/api/v1/auth/login`,
      postJson('{"username":"dora","password":"dora-password-0"}'),
    );
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^tradai_session=tds_[\w-]+;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP here; Secure behind HTTPS
    expect(await login.json()).not.toHaveProperty("token");
    const session = cookie.split(";")[0] ?? "";
    const me = await p.http("/api/v1/auth/me", { headers: { cookie: session, authorization: "" } });
    expect(me.body).toMatchObject({ name: "dora", kind: "user", roles: ["viewer"] });
    const { rows } = await p.db.query<{ secret_hash: string }>(
      "SELECT secret_hash FROM sessions WHERE username = 'dora'",
    );
    expect(rows.map((r) => r.secret_hash)).toContain(sha256(session.split("=")[1] ?? ""));
    await p.http("/api/v1/auth/logout", { method: "POST", headers: { cookie: session, authorization: "" } });
    const after = await p.http("/api/v1/auth/me", {
      headers: { cookie: session, authorization: "", "x-requested-with": "console" },
    });
    expect(after.status).toBe(401);
    // The console gets no Basic challenge (no browser prompt).
    expect(after.headers.get("www-authenticate")).toBeNull();
  });

  it("a password change ends the user's other sessions; disabled users cannot log in", async () => {
    const fred = await p.user("fred", "editor");
    const cli = await p.as().login("fred", fred.password);
    expect(cli.token).toMatch(/^tds_/);
    const asFred = p.as({ token: cli.token });
    expect((await asFred.me()).name).toBe("fred");
    await p.as(fred).changePassword(fred.password, "fred-password-new");
    await expect(asFred.me()).rejects.toMatchObject({ problem: { status: 401 } });
    await expect(p.as(fred).me()).rejects.toMatchObject({ problem: { status: 401 } });
    expect((await p.as({ username: "fred", password: "fred-password-new" }).me()).name).toBe("fred");
    await p.api.updateUser("fred", { disabled: true });
    await expect(p.as({ username: "fred", password: "fred-password-new" }).me()).rejects.toMatchObject({
      problem: { status: 401 },
    });
    // Admins cannot lock themselves out.
    await expect(p.api.updateUser("admin", { role: "viewer" })).rejects.toMatchObject({ problem: { status: 409 } });
  });

  it("rate-limits failed logins: after the limit even the right password waits (429, Retry-After)", async () => {
    await p.user("gina", "viewer");
    for (let i = 0; i < 3; i++) {
      const wrong = await p.http("/api/v1/configs", {
        headers: { authorization: basicAuthorization("gina", `nope-${i}`) },
      });
      expect(wrong.status).toBe(401);
    }
    const locked = await p.http("/api/v1/configs", {
      headers: { authorization: basicAuthorization("gina", "gina-password-0") },
    });
    expect(locked.status).toBe(429);
    expect(locked.body.type).toBe(problemTypes.tooManyRequests);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    const viaLogin = await p.http("/api/v1/auth/login", {
      ...postJson('{"username":"gina","password":"gina-password-0"}'),
      headers: { authorization: "", "content-type": "application/json" },
    });
    expect(viaLogin.status).toBe(429);
    // Others are not locked out.
    expect((await p.http("/api/v1/configs")).status).toBe(200);
  });

  it("viewers read everything except secret references", async () => {
    await p.api.createParameter({ name: "exchange.api_key", type: "secret_ref", description: "API key reference" });
    const v = await p.api.createConfig({
      strategy_name: "Sec",
      config_data: { exchange: { api_key: "vault://trading/binance/key", name: "binance" }, stake: 5 },
    });
    await p.api.activate("Sec", v.config_id);
    const viewer = p.as(await p.user("vera", "viewer"));
    const seen = await viewer.showConfig("Sec", v.config_id);
    expect(seen.config_data).toEqual({ exchange: { api_key: "***", name: "binance" }, stake: 5 });
    expect((await viewer.resolve("Sec")).values).toMatchObject({ exchange: { api_key: "***", name: "binance" } });
    const audit = await viewer.listAudit({ action: "config.create", target_id: `Sec/${v.config_id}` });
    expect(JSON.stringify(audit)).not.toContain("vault://");
    // Editors and above see the reference (never a secret itself: the catalog refuses anything else).
    expect((await p.api.showConfig("Sec", v.config_id)).config_data).toMatchObject({
      exchange: { api_key: "vault://trading/binance/key" },
    });
    // The hash is of the real content: masking changes what a viewer sees, not what is stored.
    expect(seen.config_hash).toBe(v.config_hash);

    // The change stream masks for viewers too; a worker token gets the reference it trades with.
    const { token: viewerToken } = await p.api.createToken({ name: "sec-viewer", roles: ["viewer"] });
    const { token: workerToken } = await p.api.createToken({ name: "sec-worker", roles: ["worker"] });
    const snapshotFor = async (token: string) => {
      const stream = await openSse(`${p.url}/api/v1/stream?strategy=Sec`, { authorization: `Bearer ${token}` });
      try {
        return (await stream.waitFor((f) => f.event === "snapshot", "snapshot")).data.configs[0].values;
      } finally {
        stream.close();
      }
    };
    expect(await snapshotFor(viewerToken)).toMatchObject({ exchange: { api_key: "***" } });
    expect(await snapshotFor(workerToken)).toMatchObject({ exchange: { api_key: "vault://trading/binance/key" } });
    const asWorker = p.as({ token: workerToken });
    expect((await asWorker.resolve("Sec")).values).toMatchObject({
      exchange: { api_key: "vault://trading/binance/key" },
    });
    // The worker's answer is kept as bytes: a viewer asking after it still gets the masked one.
    expect((await viewer.resolve("Sec")).values).toMatchObject({ exchange: { api_key: "***", name: "binance" } });
    // A worker token reads and reports; it changes nothing.
    expect((await refusal(asWorker.createConfig({ strategy_name: "Sec", config_data: { stake: 6 } }))).status).toBe(
      403,
    );
    expect((await refusal(asWorker.listAudit({}))).status).toBe(403);
  });

  it("creates the first admin once, with a generated password when none is configured", async () => {
    const db = await freshDatabase();
    try {
      await migrate(db);
      const changes = changeKernel({ db, sources: kernelSources(), changeRequestTtlHours: 72 });
      const generated = await ensureFirstAdmin(db, changes, undefined);
      expect(generated).toMatch(/^[\w-]{24}$/);
      const { rows } = await db.query<{ username: string; role: string; password_hash: string }>("SELECT * FROM users");
      expect(rows.map((r) => [r.username, r.role])).toEqual([["admin", "admin"]]);
      expect(await verifyPassword(generated ?? "", rows[0]?.password_hash ?? "")).toBe(true);
      expect(await ensureFirstAdmin(db, changes, "another-password-0")).toBeUndefined();
      // It is a governed change: audited, by the platform.
      const audit = await db.query<{ actor: string; action: string }>("SELECT actor, action FROM audit_entries");
      expect(audit.rows).toEqual([{ actor: "system", action: "user.create" }]);
      expect((await db.query("SELECT 1 FROM users")).rows).toHaveLength(1);
    } finally {
      await db.close();
    }
  });
});

describe(`RBAC shadow mode and authentication off (${backend})`, () => {
  it("shadow: a viewer's write is allowed, logged and counted", async () => {
    const p = await startTestPlatform({ TRADAI_RBAC_MODE: "shadow" });
    try {
      const viewer = await p.user("vic", "viewer");
      const res = await p.http("/api/v1/configs", {
        ...postJson('{"strategy_name":"Sh","config_data":{"s":1}}'),
        headers: {
          authorization: basicAuthorization(viewer.username, viewer.password),
          "content-type": "application/json",
        },
      });
      expect(res.status).toBe(201);
      expect(res.body.created_by).toBe("vic");
      const metrics = (await p.http("/metrics")).body as string;
      expect(metrics).toMatch(/tradai_rbac_shadow_violations_total\{action="configs.create",principal_kind="user"\} 1/);
      // Authentication is still required.
      expect((await p.http("/api/v1/configs", { headers: { authorization: "" } })).status).toBe(401);
    } finally {
      await p.close();
    }
  });

  it("off (loopback only): every request acts as anonymous", async () => {
    const p = await startTestPlatform({ TRADAI_AUTH: "off" });
    try {
      const res = await p.http("/api/v1/configs", {
        ...postJson('{"strategy_name":"Off","config_data":{"o":1}}'),
        headers: { authorization: "", "content-type": "application/json" },
      });
      expect(res.status).toBe(201);
      expect(res.body.created_by).toBe("anonymous");
    } finally {
      await p.close();
    }
  });
});

describe(`OIDC bearer tokens (${backend})`, () => {
  let p: TestPlatform;
  let jwks: ReturnType<typeof createServer>;
  let sign: (claims: Record<string, unknown>, options?: { audience?: string; expiresIn?: string }) => Promise<string>;
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" };
    jwks = createServer((_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((done) => jwks.listen(0, "127.0.0.1", done));
    const address = jwks.address();
    const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/jwks`;
    sign = (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "ES256", kid: "k1" })
        .setIssuer("https://idp.test")
        .setAudience(options.audience ?? "tradai")
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? "5m")
        .sign(privateKey);
    p = await startTestPlatform({
      TRADAI_OIDC_JWKS_URL: url,
      TRADAI_OIDC_ISSUER: "https://idp.test",
      TRADAI_OIDC_AUDIENCE: "tradai",
      TRADAI_OIDC_ROLES_CLAIM: "realm_access.roles",
    });
  });
  afterAll(async () => {
    await p?.close();
    await new Promise((done) => jwks?.close(done));
  });

  it("verifies the signature, issuer, audience and expiry, and maps roles from the claim", async () => {
    const jwt = await sign({
      sub: "u-1",
      preferred_username: "olga",
      realm_access: { roles: ["approver", "offline_access"] },
    });
    const me = await p.http("/api/v1/auth/me", { headers: bearer(jwt) });
    expect(me.body).toEqual({ name: "olga", kind: "oidc", roles: ["approver"], environments: null, person: "olga" });
    expect((await p.http("/api/v1/users", { headers: bearer(jwt) })).status).toBe(403);
    const otherAudience = await sign(
      { preferred_username: "olga", realm_access: { roles: ["admin"] } },
      { audience: "other" },
    );
    const refused = await p.http("/api/v1/auth/me", { headers: bearer(otherAudience) });
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/^the OIDC token was refused: .*aud/);
    const expired = await sign({ preferred_username: "olga" }, { expiresIn: "-1m" });
    expect((await p.http("/api/v1/auth/me", { headers: bearer(expired) })).status).toBe(401);
    const [header, payload] = jwt.split(".");
    const forged = `${header}.${payload}.${Buffer.from("not the signature").toString("base64url")}`;
    expect((await p.http("/api/v1/auth/me", { headers: bearer(forged) })).status).toBe(401);
  });
});
