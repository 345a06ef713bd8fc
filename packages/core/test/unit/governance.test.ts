import { describe, expect, it } from "vitest";
import {
  ACTIONS,
  AUDIT_GENESIS_HASH,
  approvalReasons,
  auditEntryHash,
  contentHash,
  diffValues,
  MASKED_SECRET,
  maskSecretReferences,
  PERMISSIONS,
  type ROLES,
  rolesAllow,
  touchedCriticalParameters,
} from "../../src/index.js";

describe("permission table", () => {
  it("grows with the role: viewer < editor < approver, and admin may do everything", () => {
    const allowed = (role: (typeof ROLES)[number]) => ACTIONS.filter((a) => rolesAllow([role], a));
    const [viewer, editor, approver, admin] = [
      allowed("viewer"),
      allowed("editor"),
      allowed("approver"),
      allowed("admin"),
    ];
    expect(viewer.every((a) => editor.includes(a))).toBe(true);
    expect(editor.every((a) => approver.includes(a))).toBe(true);
    expect(approver.every((a) => admin.includes(a))).toBe(true);
    const roleActions = ACTIONS.filter((a) => Array.isArray(PERMISSIONS[a]));
    expect(admin.filter((a) => roleActions.includes(a))).toEqual(roleActions);
  });

  it("lets a worker token read its configs with their secrets, subscribe and report, and nothing else", () => {
    const worker = ACTIONS.filter((a) => rolesAllow(["worker"], a) && Array.isArray(PERMISSIONS[a]));
    expect(worker.sort()).toEqual(
      [
        "catalog.read",
        "configs.read",
        "environments.read",
        "secrets.read",
        "session.self",
        "stream.subscribe",
        "workers.report",
      ].sort(),
    );
  });

  it("keeps writes from viewers, reviews from editors, and administration from approvers", () => {
    expect(rolesAllow(["viewer"], "configs.read")).toBe(true);
    expect(rolesAllow(["viewer"], "configs.create")).toBe(false);
    expect(rolesAllow(["editor"], "configs.activate")).toBe(true);
    expect(rolesAllow(["editor"], "change_requests.review")).toBe(false);
    expect(rolesAllow(["approver"], "change_requests.review")).toBe(true);
    expect(rolesAllow(["approver"], "catalog.write")).toBe(false);
    expect(rolesAllow(["approver"], "change_requests.break_glass")).toBe(false);
    expect(rolesAllow(["admin"], "users.manage")).toBe(true);
    expect(rolesAllow([], "configs.read")).toBe(false);
  });
});

describe("which changes need four eyes", () => {
  const critical = ["risk.stoploss", "exchange"];

  it("finds a critical parameter changed, added or removed, and ignores its neighbours", () => {
    const touched = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      touchedCriticalParameters(diffValues(a, b), critical);
    expect(touched({ risk: { stoploss: -0.05, cap: 1 } }, { risk: { stoploss: -0.04, cap: 1 } })).toEqual([
      "risk.stoploss",
    ]);
    expect(touched({ risk: { cap: 1 } }, { risk: { cap: 2 } })).toEqual([]);
    // A whole object added touches only the parameters inside it.
    expect(touched({}, { risk: { max_positions: 15 } })).toEqual([]);
    expect(touched({}, { risk: { stoploss: -0.1 } })).toEqual(["risk.stoploss"]);
    expect(touched({ risk: { stoploss: -0.1 } }, {})).toEqual(["risk.stoploss"]);
    // The parent replaced by a scalar takes the parameter with it.
    expect(touched({ risk: { stoploss: -0.1 } }, { risk: 1 })).toEqual(["risk.stoploss"]);
    expect(touched({ exchange: { name: "a" } }, { exchange: { name: "b" } })).toEqual(["exchange"]);
  });

  it("gives the reasons: environment policy, critical parameters", () => {
    expect(approvalReasons({ environment: "dev", requiresApproval: false, criticalTouched: [] })).toEqual([]);
    expect(approvalReasons({ environment: "prod", requiresApproval: true, criticalTouched: ["a", "b"] })).toEqual([
      "prod requires approval",
      "critical parameters change: a, b",
    ]);
  });
});

describe("audit entry hash", () => {
  const entry = {
    seq: 1,
    at: "2026-11-23T10:00:00.000Z",
    actor: "alice",
    action: "config.create",
    target_type: "config_version",
    target_id: "S/v1-00000000",
    environment: null,
    before: null,
    after: { b: 1, a: [1.5, "x"] },
    details: null,
    request_id: "r1",
    client_address: "127.0.0.1",
    prev_hash: AUDIT_GENESIS_HASH,
  };

  it("is the SHA-256 of the entry's canonical JSON, so any language can recompute it", () => {
    expect(auditEntryHash(entry)).toBe(contentHash(entry));
    expect(auditEntryHash(entry)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes with any field, including the previous entry's hash", () => {
    const base = auditEntryHash(entry);
    expect(auditEntryHash({ ...entry, actor: "mallory" })).not.toBe(base);
    expect(auditEntryHash({ ...entry, after: { b: 2, a: [1.5, "x"] } })).not.toBe(base);
    expect(auditEntryHash({ ...entry, prev_hash: "1".repeat(64) })).not.toBe(base);
    // Key order does not matter: canonical form.
    expect(auditEntryHash({ ...entry, after: { a: [1.5, "x"], b: 1 } })).toBe(base);
  });
});

describe("masking secret references", () => {
  it("masks values whose path ends with a secret parameter, and flat diff keys naming one", () => {
    const names = ["exchange.api_key"];
    expect(
      maskSecretReferences(
        {
          config_data: { exchange: { api_key: "vault://a", name: "x" }, api_key: "kept" },
          diff: { changed: { "exchange.api_key": { old: "vault://a", new: "vault://b" } } },
          list: [{ exchange: { api_key: "vault://c" } }],
        },
        names,
      ),
    ).toEqual({
      config_data: { exchange: { api_key: MASKED_SECRET, name: "x" }, api_key: "kept" },
      diff: { changed: { "exchange.api_key": { old: MASKED_SECRET, new: MASKED_SECRET } } },
      list: [{ exchange: { api_key: MASKED_SECRET } }],
    });
    expect(maskSecretReferences({ a: 1 }, [])).toEqual({ a: 1 });
  });
});
