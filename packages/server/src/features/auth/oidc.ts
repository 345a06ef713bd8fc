/**
 * @module Optional OIDC: bearer JWTs verified (jose) against the identity provider's JWKS, with
 * issuer and audience checked; roles are read from a claim and mapped to ours by name.
 */
import { isRole, type Principal, type Role } from "@tradai/core";
import { createRemoteJWKSet, jwtVerify } from "jose";

export interface OidcSettings {
  jwksUrl: string;
  issuer: string | undefined;
  audience: string | undefined;
  rolesClaim: string;
  usernameClaim: string;
}

export type OidcVerifier = (jwt: string) => Promise<Principal>;

/** A dotted claim path (`realm_access.roles`) read from the payload. */
function claim(payload: Record<string, unknown>, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined),
      payload,
    );
}

export function oidcVerifier(settings: OidcSettings): OidcVerifier {
  const jwks = createRemoteJWKSet(new URL(settings.jwksUrl));
  return async (jwt) => {
    const { payload } = await jwtVerify(jwt, jwks, {
      ...(settings.issuer ? { issuer: settings.issuer } : {}),
      ...(settings.audience ? { audience: settings.audience } : {}),
    });
    const name = claim(payload, settings.usernameClaim) ?? payload.sub;
    if (typeof name !== "string" || name === "") throw new Error(`the token has no ${settings.usernameClaim} claim`);
    const given = claim(payload, settings.rolesClaim);
    const list = Array.isArray(given) ? given : typeof given === "string" ? given.split(/[ ,]+/) : [];
    const roles = list.filter((r): r is Role => typeof r === "string" && isRole(r));
    return { name, kind: "oidc", roles, environments: null, person: name };
  };
}
