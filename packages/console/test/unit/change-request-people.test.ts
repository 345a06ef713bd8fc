/** Change requests in words, and four eyes counted in people: a token acts for the person who made it. */
import type { ChangeRequest } from "@tradai/core";
import { describe, expect, it } from "vitest";
import { environmentsText } from "../../src/features/change-requests/change-request-text.js";
import { actorText, approvedBy, authorOf, isOwnRequest } from "../../src/features/governance/people.js";

const request = (over: Partial<ChangeRequest>): ChangeRequest => ({
  id: 7,
  kind: "activation",
  summary: "make v2-aaaaaaaa of S active in prod",
  strategy_name: "S",
  environment: "prod",
  environments: ["prod"],
  from_environment: null,
  config_id: "v2-aaaaaaaa",
  config_hash: "a".repeat(64),
  catalog_revision: 3,
  base_config_id: null,
  diff: { added: {}, removed: {}, changed: {} },
  effect: null,
  effect_hash: null,
  reasons: ["prod requires approval"],
  approvals_required: 1,
  approvals: 0,
  author: "alice",
  author_person: "alice",
  created_at: "2026-12-01T00:00:00Z",
  expires_at: "2026-12-04T00:00:00Z",
  status: "pending",
  closed_at: null,
  closed_by: null,
  break_glass_reason: null,
  reviews: [],
  ...over,
});

describe("who a change request's people are", () => {
  it("names a token with the person it acts for, and a person once", () => {
    expect(actorText("token:ci", "alice")).toBe("token:ci (for alice)");
    expect(actorText("alice", "alice")).toBe("alice");
    expect(actorText("token:orphan", null)).toBe("token:orphan");
    expect(authorOf(request({ author: "token:ci", author_person: "alice" }))).toBe("token:ci (for alice)");
  });

  it("takes a request made with one's own token for one's own", () => {
    const byToken = request({ author: "token:ci", author_person: "alice" });
    expect(isOwnRequest({ name: "alice", person: "alice" }, byToken)).toBe(true);
    expect(isOwnRequest({ name: "token:ci", person: "alice" }, byToken)).toBe(true);
    expect(isOwnRequest({ name: "bob", person: "bob" }, byToken)).toBe(false);
    expect(isOwnRequest({ name: "token:other", person: null }, byToken)).toBe(false);
    expect(isOwnRequest(null, byToken)).toBe(false);
  });

  it("counts an approval given through one's token as one's own", () => {
    const cr = request({
      reviews: [
        {
          reviewer: "token:bobs",
          reviewer_person: "bob",
          decision: "approve",
          comment: null,
          at: "2026-12-01T01:00:00Z",
        },
      ],
    });
    expect(approvedBy({ name: "bob", person: "bob" }, cr)).toBe(true);
    expect(approvedBy({ name: "carol", person: "carol" }, cr)).toBe(false);
  });
});

describe("where a change request applies", () => {
  it("says a promotion's way, an environment, or the environments a catalog change needs approval in", () => {
    expect(environmentsText(request({ kind: "promotion", from_environment: "staging" }))).toBe("staging → prod");
    expect(environmentsText(request({}))).toBe("prod");
    expect(environmentsText(request({ kind: "catalog", environment: null, environments: ["dev", "prod"] }))).toBe(
      "dev, prod",
    );
    expect(environmentsText(request({ kind: "catalog", environment: null, environments: [] }))).toBe("—");
  });
});
