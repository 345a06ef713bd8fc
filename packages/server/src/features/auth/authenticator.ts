/**
 * @module Who a request comes from: HTTP Basic (people), the session cookie (the console), or a
 * bearer token — a session token from `tradai login`, a service-account token, or an OIDC JWT.
 * No credentials: null. Wrong credentials: 401, never a silent fallback to anonymous.
 */
import { createHash } from "node:crypto";
import type { Principal } from "@tradai/core";
import type { FastifyRequest } from "fastify";
import type { Queryable } from "../../db/database.js";
import { UnauthenticatedError } from "../../http/errors.js";
import type { LoginLimiter } from "./login-limiter.js";
import type { OidcVerifier } from "./oidc.js";
import { verifyPassword } from "./passwords.js";
import { type PrincipalCache, principalCache } from "./principal-cache.js";
import { SERVICE_TOKEN_PREFIX, SESSION_PREFIX, secretHash } from "./secrets.js";
import { authStore, type UserRow } from "./store.js";

export const SESSION_COOKIE = "tradai_session";

// scrypt is slow on purpose; a script sending Basic on every request would pay it every time.
// A verified (user, password, stored hash) triple is remembered briefly: changing the password
// changes the stored hash, so the entry stops matching at once.
const VERIFIED_TTL_MS = 5 * 60_000;
const VERIFIED_MAX = 1000;

const userPrincipal = (user: UserRow): Principal => ({
  name: user.username,
  kind: "user",
  roles: [user.role],
  environments: null,
  person: user.username,
});

export interface Authenticator {
  authenticate(request: FastifyRequest): Promise<Principal | null>;
  /** Rights were taken away (revoked token, ended session, changed user): check everything again. */
  forget(): void;
  /** Checks a user's password (rate-limited). @throws UnauthenticatedError, TooManyRequestsError */
  login(username: string, password: string, address: string): Promise<UserRow>;
}

export function authenticatorFactory(deps: {
  db: Queryable;
  limiter: LoginLimiter;
  oidc?: OidcVerifier | undefined;
  cache?: PrincipalCache;
  /** Called for each password hash actually computed (scrypt), for the metrics. */
  onPasswordCheck?: () => void;
}) {
  const store = authStore(deps.db);
  const cache = deps.cache ?? principalCache();
  const verified = new Map<string, number>();
  // One scrypt per credential at a time: a fleet reconnecting with the same password at once
  // (1,000 streams) waits for one check instead of queueing 1,000 of them.
  const checking = new Map<string, Promise<boolean>>();
  const passwordMatches = (key: string, password: string, hash: string): Promise<boolean> => {
    let check = checking.get(key);
    if (!check) {
      deps.onPasswordCheck?.();
      check = verifyPassword(password, hash).finally(() => checking.delete(key));
      checking.set(key, check);
    }
    return check;
  };

  async function login(username: string, password: string, address: string): Promise<UserRow> {
    await deps.limiter.check(username, address);
    const user = await store.user(username);
    const key = user && createHash("sha256").update(`${username}\0${password}\0${user.password_hash}`).digest("hex");
    const cached = key !== undefined && (verified.get(key) ?? 0) > Date.now();
    if (!user || !key || user.disabled || !(cached || (await passwordMatches(key, password, user.password_hash)))) {
      await deps.limiter.failed(username, address);
      throw new UnauthenticatedError("wrong user name or password, or the user is disabled");
    }
    if (!cached && key) {
      if (verified.size >= VERIFIED_MAX) verified.clear();
      verified.set(key, Date.now() + VERIFIED_TTL_MS);
    }
    await deps.limiter.succeeded(username);
    return user;
  }

  async function basic(encoded: string, address: string): Promise<Principal> {
    const decoded = Buffer.from(encoded, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 1) throw new UnauthenticatedError("malformed Basic credentials: expected base64 of user:password");
    return userPrincipal(await login(decoded.slice(0, colon), decoded.slice(colon + 1), address));
  }

  async function session(secret: string, what: string): Promise<{ principal: Principal; until?: Date }> {
    const user = await store.sessionUser(secretHash(secret));
    if (!user) throw new UnauthenticatedError(`the ${what} is unknown, expired or logged out; log in again`);
    return { principal: userPrincipal(user), until: user.session_expires_at };
  }

  async function bearer(token: string): Promise<{ principal: Principal; until?: Date; cacheable?: boolean }> {
    if (token.startsWith(SESSION_PREFIX)) return session(token, "session token");
    if (token.startsWith(SERVICE_TOKEN_PREFIX)) {
      const found = await store.liveToken(secretHash(token));
      if (!found) throw new UnauthenticatedError("the token is unknown, expired or revoked");
      return {
        principal: {
          name: `token:${found.name}`,
          kind: "token",
          roles: found.roles,
          environments: found.environments,
          person: found.person,
          worker_ids: found.worker_id,
        },
        until: new Date(found.expires_at),
      };
    }
    if (token.split(".").length === 3 && deps.oidc) {
      try {
        // Not cached: a JWT is checked on its own (signature, expiry), without the database.
        return { principal: await deps.oidc(token), cacheable: false };
      } catch (error) {
        throw new UnauthenticatedError(`the OIDC token was refused: ${(error as Error).message}`);
      }
    }
    throw new UnauthenticatedError("unrecognised bearer token");
  }

  // Bearer checks in flight by credential: a thousand streams reconnecting with one token after a
  // replica died cost one lookup, not a thousand.
  const bearersInFlight = new Map<string, ReturnType<typeof bearer>>();
  const bearerOnce = (credential: string, token: string) => {
    let found = bearersInFlight.get(credential);
    if (!found) {
      found = bearer(token).finally(() => bearersInFlight.delete(credential));
      bearersInFlight.set(credential, found);
    }
    return found;
  };

  return {
    login,
    async authenticate(request: FastifyRequest): Promise<Principal | null> {
      const header = request.headers.authorization;
      const cookie = header ? undefined : request.cookies?.[SESSION_COOKIE];
      if (!header && !cookie) return null;
      const credential = header ?? `cookie ${cookie}`;
      const known = cache.get(credential);
      if (known) return known;
      let checked: { principal: Principal; until?: Date; cacheable?: boolean };
      if (header) {
        const [scheme, value] = [
          header.slice(0, header.indexOf(" ")).toLowerCase(),
          header.slice(header.indexOf(" ") + 1).trim(),
        ];
        if (scheme === "basic" && value) checked = { principal: await basic(value, request.ip) };
        else if (scheme === "bearer" && value) checked = await bearerOnce(credential, value);
        else throw new UnauthenticatedError("unsupported Authorization header: use Basic or Bearer");
      } else checked = await session(cookie as string, "session cookie");
      if (checked.cacheable !== false) cache.set(credential, checked.principal, checked.until);
      return checked.principal;
    },
    forget() {
      cache.clear();
    },
  } satisfies Authenticator;
}
