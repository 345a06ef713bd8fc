/**
 * Property: whatever sequence of writes, by whichever actors (every role, scoped and unscoped
 * tokens, tokens with and without a person behind them), against whatever policies and freezes,
 * after every step:
 *  1. no critical resolved value changed, and nothing changed in an approval-requiring environment,
 *     without a change request applied with enough distinct people other than its proposer (or
 *     broken glass on where the policy allowed it);
 *  2. no frozen environment's resolved hash changed without an override in the audit trail;
 *  3. every change of a resolved config has exactly one event and one audit entry;
 *  4. no environment that had an active version lost it;
 *  5. governance is never weakened but by an applied change request.
 */
import { createHash } from "node:crypto";
import { type ApiClient, ApiProblemError } from "@tradai/client";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

const ENVS = ["dev", "staging", "prod"] as const;
type Env = (typeof ENVS)[number];
const ACTORS = ["admin", "boss", "ed", "a1", "a2", "adminToken", "stagingToken", "nobodyToken"] as const;
type ActorName = (typeof ACTORS)[number];

/** Version contents: `risk` is critical, `size` is not; some leave risk to the layers below. */
const CONTENTS = [
  { risk: -0.1, size: 1 },
  { risk: -0.2, size: 1 },
  { risk: -0.1, size: 2 },
  { size: 3 },
  { size: 4, note: "a" },
  { size: 4, note: "b" },
  { risk: -0.3 },
];

type Step =
  | { kind: "activate"; actor: ActorName; version: number; env: Env; override: boolean }
  | { kind: "rollback"; actor: ActorName; env: Env; override: boolean }
  | { kind: "deprecate"; actor: ActorName; version: number }
  | { kind: "base"; actor: ActorName; env: Env; risk: number | null; size: number | null; override: boolean }
  | { kind: "default"; actor: ActorName; param: "risk" | "size"; value: number; override: boolean }
  | { kind: "criticality"; actor: ActorName; critical: boolean }
  | {
      kind: "policy";
      actor: ActorName;
      env: Env;
      approval: boolean | null;
      approvals: number | null;
      glass: boolean | null;
    }
  | { kind: "freeze"; env: Env; on: boolean }
  | { kind: "approve"; actor: ActorName; pick: number; override: boolean }
  | { kind: "reject"; actor: ActorName; pick: number }
  | { kind: "glass"; actor: ActorName; pick: number; override: boolean };

/** Mostly people who may write; every other credential too, less often. */
const actor = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<ActorName>("admin", "boss", "ed") },
  { weight: 2, arbitrary: fc.constantFrom<ActorName>(...ACTORS) },
);
/** Mostly people who may approve. */
const reviewer = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<ActorName>("a1", "a2", "boss") },
  { weight: 2, arbitrary: fc.constantFrom<ActorName>(...ACTORS) },
);
const env = fc.constantFrom(...ENVS);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("activate" as const),
      actor,
      version: fc.nat(CONTENTS.length - 1),
      env,
      override: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("rollback" as const), actor, env, override: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("deprecate" as const), actor, version: fc.nat(CONTENTS.length - 1) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("base" as const),
      actor,
      env,
      risk: fc.option(fc.constantFrom(-0.05, -0.4)),
      size: fc.option(fc.constantFrom(5, 6)),
      override: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("default" as const),
      actor,
      param: fc.constantFrom("risk" as const, "size" as const),
      value: fc.constantFrom(-0.01, -0.02, 7),
      override: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("criticality" as const), actor, critical: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("policy" as const),
      actor,
      env,
      approval: fc.option(fc.boolean()),
      approvals: fc.option(fc.integer({ min: 1, max: 3 })),
      glass: fc.option(fc.boolean()),
    }),
  },
  // Freezes come and go; off more often than on, or everything soon waits for the thaw.
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("freeze" as const), env, on: fc.constantFrom(true, false, false) }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("approve" as const),
      actor: reviewer,
      pick: fc.nat(5),
      override: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reject" as const), actor: reviewer, pick: fc.nat(5) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("glass" as const), actor, pick: fc.nat(5), override: fc.boolean() }),
  },
);

/** A step that had nothing to act on (no pending request, an empty patch). */
const NOTHING = 0;

interface Resolved {
  config_id: string;
  hash: string;
  values: Record<string, unknown>;
}

interface State {
  resolved: Record<Env, Resolved | null>;
  policies: Record<Env, { requires_approval: boolean; approvals_required: number; break_glass_allowed: boolean }>;
  frozen: Record<Env, boolean>;
  critical: Set<string>;
  auditSeq: number;
  eventSeq: number;
}

describe(`governance holds on every step of random writes (${backend})`, () => {
  let p: TestPlatform;
  const clients = {} as Record<ActorName, ApiClient>;
  let run = 0;

  beforeAll(async () => {
    p = await startTestPlatform(process.env.TRADAI_PROPERTY_DEBUG ? { TRADAI_LOG_LEVEL: "error" } : {});
    const users: [ActorName, string][] = [
      ["boss", "admin"],
      ["ed", "editor"],
      ["a1", "approver"],
      ["a2", "approver"],
    ];
    clients.admin = p.api;
    for (const [name, role] of users) clients[name] = p.as(await p.user(name, role as "admin"));
    clients.adminToken = p.as({
      token: (await p.api.createToken({ name: "prop-admin-token", roles: ["approver", "editor"] })).token,
    });
    clients.stagingToken = p.as({
      token: (
        await p.api.createToken({ name: "prop-staging", roles: ["editor", "approver"], environments: ["staging"] })
      ).token,
    });
    // A token from before tokens named their person: nobody stands behind it.
    const secret = "tdt_property-nobody-000000000000000000000000000000";
    await p.db.query(
      `INSERT INTO service_tokens (name, secret_hash, prefix, roles, expires_at, created_by, person)
       VALUES ('prop-nobody', $1, 'tdt_proper', ARRAY['approver', 'admin'], now() + interval '1 day', 'system', NULL)`,
      [createHash("sha256").update(secret).digest("hex")],
    );
    clients.nobodyToken = p.as({ token: secret });
    await p.api.createParameter({
      name: "risk",
      type: "number",
      min: -1,
      max: 0,
      description: "Risk",
      criticality: "critical",
    });
    await p.api.createParameter({ name: "size", type: "number", min: 0, max: 10, description: "Size" });
  });
  afterAll(() => p?.close());

  async function observe(strategy: string): Promise<State> {
    const resolved = {} as State["resolved"];
    for (const e of ENVS) {
      const res = await p.http(`/api/v1/resolve/${strategy}?environment=${e}`);
      resolved[e] =
        res.status === 200
          ? { config_id: res.body.config_version_id, hash: res.body.resolved_hash, values: res.body.values }
          : null;
    }
    const environments = (await p.api.listEnvironments()).items;
    const policies = {} as State["policies"];
    const frozen = {} as State["frozen"];
    for (const e of environments) {
      policies[e.name as Env] = e;
      frozen[e.name as Env] = e.frozen;
    }
    const critical = new Set(
      (
        await p.db.query<{ name: string }>(
          "SELECT name FROM catalog_parameters WHERE definition ->> 'criticality' = 'critical'",
        )
      ).rows.map((r) => r.name),
    );
    const heads = (
      await p.db.query<{ a: number; e: number }>(
        "SELECT (SELECT seq FROM audit_chain_head)::int AS a, (SELECT seq FROM config_event_head)::int AS e",
      )
    ).rows[0] as { a: number; e: number };
    return { resolved, policies, frozen, critical, auditSeq: heads.a, eventSeq: heads.e };
  }

  const pendingRequests = async () => (await p.api.listChangeRequests({ status: "pending", limit: 50 })).items;

  async function perform(s: Step, strategy: string, versions: string[]): Promise<number> {
    const reason = (override: boolean) => (override ? "property test" : undefined);
    const c = "actor" in s ? clients[s.actor] : p.api;
    const pick = async (i: number) => {
      // This run's requests, and the catalog and policy requests every run shares.
      const pending = (await pendingRequests()).filter(
        (cr) => cr.strategy_name === null || cr.strategy_name === strategy,
      );
      return pending.length === 0 ? undefined : pending[i % pending.length]?.id;
    };
    try {
      switch (s.kind) {
        case "activate":
          await c.activate(strategy, versions[s.version] as string, {
            environment: s.env,
            freezeOverrideReason: reason(s.override),
          });
          break;
        case "rollback":
          await c.rollback(strategy, { environment: s.env, freezeOverrideReason: reason(s.override) });
          break;
        case "deprecate":
          await c.deprecateConfig(strategy, versions[s.version] as string);
          break;
        case "base": {
          const values: Record<string, unknown> = {};
          if (s.risk !== null) values.risk = s.risk;
          if (s.size !== null) values.size = s.size;
          await c.putEnvironmentBase(s.env, values, { freezeOverrideReason: reason(s.override) });
          break;
        }
        case "default": {
          const current = (await p.api.getParameter(s.param)).parameter;
          await c.updateParameter({ ...current, default: s.value }, { freezeOverrideReason: reason(s.override) });
          break;
        }
        case "criticality": {
          const current = (await p.api.getParameter("risk")).parameter;
          await c.updateParameter({ ...current, criticality: s.critical ? "critical" : "normal" });
          break;
        }
        case "policy": {
          const patch: Record<string, unknown> = {};
          if (s.approval !== null) patch.requires_approval = s.approval;
          if (s.approvals !== null) patch.approvals_required = s.approvals;
          if (s.glass !== null) patch.break_glass_allowed = s.glass;
          if (Object.keys(patch).length === 0) return NOTHING;
          await c.updateEnvironmentPolicy(s.env, patch);
          break;
        }
        case "freeze": {
          const windows = (await p.api.getEnvironment(s.env)).freeze_windows;
          if (s.on && windows.length === 0) {
            const now = Date.now();
            await p.api.addFreezeWindow(s.env, {
              reason: "property",
              starts_at: new Date(now - 3_600_000).toISOString(),
              ends_at: new Date(now + 3_600_000).toISOString(),
            });
          }
          if (!s.on) for (const w of windows) await p.api.removeFreezeWindow(s.env, w.id);
          break;
        }
        case "approve": {
          const id = await pick(s.pick);
          if (id === undefined) return NOTHING;
          await c.approveChangeRequest(id, { freezeOverrideReason: reason(s.override) });
          break;
        }
        case "reject": {
          const id = await pick(s.pick);
          if (id === undefined) return NOTHING;
          await c.rejectChangeRequest(id, "property");
          break;
        }
        case "glass": {
          const id = await pick(s.pick);
          if (id === undefined) return NOTHING;
          await c.breakGlass(id, "property", reason(s.override));
          break;
        }
      }
      return 200;
    } catch (error) {
      if (error instanceof ApiProblemError) {
        expect(error.problem.status, `${JSON.stringify(s)}: ${error.problem.detail}`).toBeLessThan(500);
        return error.problem.status;
      }
      throw error;
    }
  }

  /** The checks of one step, from the state before and after it and what it wrote. */
  async function check(
    s: Step,
    status: number,
    before: State,
    after: State,
    strategy: string,
    own: Map<string, Record<string, unknown>>,
  ) {
    const what = `${JSON.stringify(s)} -> ${status}`;
    const entries = (
      await p.db.query<{ seq: number; action: string; details: Record<string, unknown> | null }>(
        "SELECT seq::int, action, details FROM audit_entries WHERE seq > $1 ORDER BY seq",
        [before.auditSeq],
      )
    ).rows;
    const events = (
      await p.db.query<{
        seq: number;
        environment: string;
        strategy: string;
        config_id: string | null;
        resolved_hash: string | null;
      }>(
        "SELECT seq::int, environment, strategy, config_id, resolved_hash FROM config_events WHERE seq > $1 ORDER BY seq",
        [before.eventSeq],
      )
    ).rows;
    // A refused change leaves nothing behind (a stale or expired request is closed, and says so).
    if (status >= 400) {
      expect(events, what).toEqual([]);
      const closing = entries.every((e) => ["change_request.stale", "change_request.expire"].includes(e.action));
      expect(closing, what).toBe(true);
    }
    for (const e of ENVS) {
      const [a, b] = [before.resolved[e], after.resolved[e]];
      // 4. nothing active is lost
      if (a) expect(b, `${what}: ${e} lost its active version`).not.toBeNull();
      const changed = a?.hash !== b?.hash || a?.config_id !== b?.config_id;
      const mine = events.filter((ev) => ev.environment === e && ev.strategy === strategy);
      if (!changed) continue;
      // 3. exactly one event, and exactly one audit entry naming it
      expect(mine.length, `${what}: events of ${e}`).toBe(1);
      expect(mine[0]).toMatchObject({ config_id: b?.config_id ?? null, resolved_hash: b?.hash ?? null });
      const naming = entries.filter((x) =>
        ((x.details?.event_seqs as number[] | undefined) ?? []).includes(mine[0]?.seq as number),
      );
      expect(naming.length, `${what}: audit entries naming the event of ${e}`).toBe(1);
      const entry = naming[0] as (typeof naming)[number];
      // 2. a frozen environment changes only with an override on record
      if (before.frozen[e]) {
        const overrides = (entry.details?.freeze_overrides as { environment: string }[] | undefined) ?? [];
        expect(
          overrides.map((o) => o.environment),
          `${what}: ${e} was frozen`,
        ).toContain(e);
      }
      // 1. critical values, and anything in an approving environment, only through four eyes
      const criticalNames = new Set([...before.critical, ...after.critical]);
      const decided = a ? a.values : {};
      const next = a ? (b?.values ?? {}) : (own.get(b?.config_id ?? "") ?? {});
      const criticalChanged = [...criticalNames].some(
        (name) => JSON.stringify(decided[name] ?? null) !== JSON.stringify(next[name] ?? null),
      );
      if (criticalChanged || before.policies[e].requires_approval) {
        const id = entry.details?.change_request_id as number | undefined;
        expect(id, `${what}: ${e} changed (critical ${criticalChanged}) without a change request`).toBeDefined();
        await expectFourEyes(id as number, what, before);
      }
    }
    // 5. governance is never weakened but by an applied change request
    for (const e of ENVS) {
      const [x, y] = [before.policies[e], after.policies[e]];
      const weaker =
        (x.requires_approval && !y.requires_approval) ||
        y.approvals_required < x.approvals_required ||
        (!x.break_glass_allowed && y.break_glass_allowed);
      if (weaker) {
        const entry = entries.find((z) => z.action === "environment.update_policy");
        expect(entry?.details?.change_request_id, `${what}: ${e}'s policy weakened without four eyes`).toBeDefined();
        await expectFourEyes(entry?.details?.change_request_id as number, what, before);
      }
    }
    if (before.critical.has("risk") && !after.critical.has("risk")) {
      const entry = entries.find((z) => z.action === "catalog.change");
      expect(entry?.details?.change_request_id, `${what}: risk lost its criticality without four eyes`).toBeDefined();
      await expectFourEyes(entry?.details?.change_request_id as number, what, before);
    }
  }

  /** The request was applied with enough distinct people other than its author, or broken glass on where allowed. */
  async function expectFourEyes(id: number, what: string, before: State) {
    const cr = await p.api.getChangeRequest(id);
    expect(cr.status, what).toBe("applied");
    if (cr.break_glass_reason) {
      for (const e of cr.environments)
        expect(before.policies[e as Env].break_glass_allowed, `${what}: break-glass in ${e}`).toBe(true);
      return;
    }
    const people = new Set(
      cr.reviews
        .filter((r) => r.decision === "approve" && r.reviewer_person !== null && r.reviewer_person !== cr.author_person)
        .map((r) => r.reviewer_person),
    );
    expect(people.size, `${what}: distinct approvers of #${id}`).toBeGreaterThanOrEqual(cr.approvals_required);
  }

  it("after every step of random writes by random actors", async () => {
    // How the walk went, so a generator that stopped reaching anything is noticed.
    const tally = { steps: 0, applied: 0, refused: 0, nothing: 0, resolvedChanges: 0, proposals: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 16 }), async (steps) => {
        const strategy = `Prop${++run}`;
        const versions: string[] = [];
        const own = new Map<string, Record<string, unknown>>();
        for (const data of CONTENTS) {
          const id = (await p.api.createConfig({ strategy_name: strategy, config_data: data })).config_id;
          versions.push(id);
          own.set(id, data);
        }
        let before = await observe(strategy);
        for (const s of steps) {
          const status = await perform(s, strategy, versions);
          const after = await observe(strategy);
          await check(s, status, before, after, strategy, own);
          tally.steps += 1;
          if (process.env.TRADAI_PROPERTY_DEBUG)
            console.log(`step ${s.kind} ${"actor" in s ? s.actor : ""} -> ${status}`);
          tally[status === NOTHING ? "nothing" : status < 400 ? "applied" : "refused"] += 1;
          tally.resolvedChanges += ENVS.filter((e) => before.resolved[e]?.hash !== after.resolved[e]?.hash).length;
          before = after;
        }
      }),
      { numRuns: Number(process.env.TRADAI_PROPERTY_RUNS ?? 20) },
    );
    tally.proposals = (await p.api.listChangeRequests({ limit: 1 })).total;
    // The walk really went both ways: changes applied, refused, proposed.
    expect(tally.applied).toBeGreaterThan(10);
    expect(tally.refused).toBeGreaterThan(5);
    expect(tally.resolvedChanges).toBeGreaterThan(5);
    expect(tally.proposals).toBeGreaterThan(5);
    console.log(`governance property: ${JSON.stringify(tally)}`);
  });
});
