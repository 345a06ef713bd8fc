/**
 * @module The catalog: parameters, coherence rules and per-strategy policies, changed only through numbered
 * revisions (who, when, what). A change that would make an active version invalid is refused
 * unless forced with a reason; config versions are validated against the catalog when created.
 */
import {
  appliesTo,
  type CatalogChangeResponse,
  type CatalogList,
  type CatalogParameter,
  type CatalogParameterInput,
  type CatalogPolicy,
  type CatalogRevisionDiff,
  type CatalogRule,
  canonicalJson,
  cartesian,
  catalogParameter,
  changedKeys,
  checkRule,
  diffValues,
  evaluateRules,
  formatPath,
  type JsonValue,
  nestDotted,
  type VariantGrid,
  validateConfigData,
  valueAt,
} from "@tradai/core";
import type { Database, Queryable } from "../../db/database.js";
import { ConflictError, InvalidInputError, NotFoundError } from "../../http/errors.js";
import { recordAudit } from "../audit/recorder.js";
import type { Actor } from "../auth/actor.js";
import { recordConfigEvent } from "../distribution/events.js";
import { catalogStore } from "./store.js";

export interface CatalogFilter {
  group?: string | undefined;
  strategy?: string | undefined;
  type?: string | undefined;
  deprecated?: boolean | undefined;
  q?: string | undefined;
}

interface CatalogState {
  parameters: CatalogParameter[];
  policies: Record<string, CatalogPolicy>;
  rules: CatalogRule[];
}

/** Every problem of `configData` under the catalog: per parameter path, then per violated rule. */
function configProblems(
  state: CatalogState,
  strategy: string,
  configData: unknown,
): { field: string; message: string }[] {
  const byParameter = validateConfigData(
    state.parameters,
    strategy,
    state.policies[strategy] ?? "open",
    configData,
  ).map((p) => ({
    field: `config_data.${formatPath(p.path)}`,
    message: p.message,
  }));
  if (byParameter.length > 0 || typeof configData !== "object" || configData === null) return byParameter;
  const rules = state.rules.filter((r) => appliesTo(r, strategy));
  return evaluateRules(rules, configData as Record<string, unknown>).map((v) => ({
    field: "config_data",
    message: `rule ${v.rule} violated: ${v.message}${v.detail ? ` (${v.detail})` : ""}`,
  }));
}

/** The catalog defaults as a nested object (the bottom layer of a resolved config). */
const defaultsOf = (state: CatalogState): Record<string, unknown> =>
  nestDotted(
    Object.fromEntries(
      state.parameters.filter((p) => p.default !== undefined && !p.deprecated).map((p) => [p.name, p.default]),
    ),
  );
const reloadOf = (state: CatalogState) => new Map(state.parameters.map((p) => [p.name, p.reload] as const));

/** The state keyed by name, so a diff names the parameter, rule or policy that changed. */
const stateMap = (state: CatalogState): Record<string, unknown> => ({
  parameters: Object.fromEntries(state.parameters.map((p) => [p.name, p])),
  rules: Object.fromEntries(state.rules.map((r) => [r.name, r])),
  policies: state.policies,
});

const loadState = async (q: Queryable): Promise<CatalogState> => {
  const store = catalogStore(q);
  return { parameters: await store.parameters(), policies: await store.policies(), rules: await store.rules() };
};

const MAX_GRID = 10_000;

const same = (a: unknown, b: unknown) => canonicalJson(a as JsonValue) === canonicalJson(b as JsonValue);

/** Problems of each active version under a catalog state, keyed by "strategy/environment/config_id". */
async function activeVersionProblems(q: Queryable, state: CatalogState): Promise<Map<string, string[]>> {
  const problems = new Map<string, string[]>();
  for (const v of await catalogStore(q).activeVersions()) {
    const found = configProblems(state, v.strategy_name, v.config_data);
    if (found.length > 0) {
      const where = (field: string) => field.replace(/^config_data\.?/, "") || "rules";
      problems.set(
        `${v.strategy_name}/${v.environment}/${v.config_id}`,
        found.map((p) => `${where(p.field)}: ${p.message}`),
      );
    }
  }
  return problems;
}

/** A dotted name cannot be both a parameter and a group of parameters (`risk` and `risk.stoploss`). */
function checkNameFits(p: CatalogParameter, others: CatalogParameter[]): void {
  for (const other of others) {
    if (other.name === p.name) continue;
    if (other.name.startsWith(`${p.name}.`) || p.name.startsWith(`${other.name}.`)) {
      throw InvalidInputError.field(
        "body",
        "name",
        `${p.name} clashes with ${other.name}: a name cannot be both a parameter and a group`,
      );
    }
  }
  if (p.replacement && !others.some((o) => o.name === p.replacement)) {
    throw InvalidInputError.field("body", "replacement", `no parameter ${p.replacement} in the catalog`);
  }
}

export function catalogServiceFactory({ db }: { db: Database }) {
  const read = catalogStore(db);

  /**
   * Applies one change in a transaction: the new state is checked against active versions, a
   * revision is recorded, then `write` stores the change.
   */
  async function change(
    actor: Actor,
    summary: string,
    forceReason: string | undefined,
    next: (state: CatalogState, q: Queryable) => Promise<CatalogState | undefined>,
    write: (revision: number, q: Queryable) => Promise<void>,
  ): Promise<{ revision: number; changed: boolean }> {
    return db.transaction(async (tx) => {
      const store = catalogStore(tx);
      await store.lock();
      const current = await loadState(tx);
      const proposed = await next(current, tx);
      if (!proposed) return { revision: await store.currentRevision(), changed: false };
      const before = await activeVersionProblems(tx, current);
      const after = await activeVersionProblems(tx, proposed);
      const broken = [...after].filter(([key]) => !before.has(key));
      if (broken.length > 0 && !forceReason) {
        throw new ConflictError(
          `the change would make active versions invalid: ${broken.map(([key, p]) => `${key} (${p.join("; ")})`).join(", ")}; ` +
            "fix them first, or force the change with force_reason",
        );
      }
      const revision = (await store.currentRevision()) + 1;
      const forcedReason = broken.length > 0 ? (forceReason ?? null) : null;
      await store.addRevision({ revision, by: actor.name, summary, forcedReason });
      await write(revision, tx);
      // Defaults are a layer of every resolved config: when they change, every subscriber hears it.
      const defaultChanges = changedKeys(defaultsOf(current), defaultsOf(proposed), reloadOf(proposed));
      if (defaultChanges.length > 0) {
        await recordConfigEvent(tx, actor, {
          kind: "catalog",
          environment: null,
          strategy: null,
          config_id: null,
          resolved_hash: null,
          changes: defaultChanges,
        });
      }
      await recordAudit(tx, actor, {
        action: "catalog.change",
        target_type: "catalog_revision",
        target_id: String(revision),
        details: {
          summary,
          forced_reason: forcedReason,
          broken_active_versions: forcedReason ? broken.map(([key]) => key) : [],
          diff: diffValues(stateMap(current), stateMap(proposed)),
        },
      });
      return { revision, changed: true };
    });
  }

  async function saveParameter(
    input: CatalogParameterInput,
    actor: Actor,
    forceReason: string | undefined,
    mode: "create" | "update",
  ) {
    const parameter = catalogParameter.parse(input);
    let previous: CatalogParameter | undefined;
    const result = await change(
      actor,
      `${mode} parameter ${parameter.name}`,
      forceReason,
      async (state) => {
        previous = state.parameters.find((p) => p.name === parameter.name);
        if (mode === "create" && previous)
          throw InvalidInputError.field("body", "name", `parameter ${parameter.name} already exists`);
        if (mode === "update" && !previous) throw new NotFoundError(`no parameter ${parameter.name} in the catalog`);
        if (previous && same(previous, parameter)) return undefined;
        checkNameFits(parameter, state.parameters);
        return { ...state, parameters: [...state.parameters.filter((p) => p.name !== parameter.name), parameter] };
      },
      (revision, q) => catalogStore(q).saveParameter(parameter, revision, previous),
    );
    return { ...result, parameter };
  }

  return {
    async list(filter: CatalogFilter): Promise<CatalogList> {
      const { rows } = await db.query<{
        definition: CatalogParameter;
        created_revision: number;
        updated_revision: number;
      }>("SELECT definition, created_revision, updated_revision FROM catalog_parameters ORDER BY name");
      const q = filter.q?.toLowerCase();
      const items = rows
        .filter(({ definition: p }) => filter.group === undefined || p.group === filter.group)
        .filter(({ definition: p }) => filter.type === undefined || p.type === filter.type)
        .filter(({ definition: p }) => filter.deprecated === undefined || p.deprecated === filter.deprecated)
        .filter(({ definition: p }) => filter.strategy === undefined || appliesTo(p, filter.strategy))
        .filter(({ definition: p }) => q === undefined || p.name.includes(q) || p.description.toLowerCase().includes(q))
        .map((r) => ({
          parameter: r.definition,
          created_revision: r.created_revision,
          updated_revision: r.updated_revision,
        }));
      return { revision: await read.currentRevision(), items, policies: await read.policies() };
    },

    async get(name: string) {
      const row = await read.parameter(name);
      if (!row) throw new NotFoundError(`no parameter ${name} in the catalog`);
      return {
        parameter: row.definition,
        created_revision: row.created_revision,
        updated_revision: row.updated_revision,
      };
    },

    create: (input: CatalogParameterInput, actor: Actor, forceReason?: string): Promise<CatalogChangeResponse> =>
      saveParameter(input, actor, forceReason, "create"),

    async update(
      name: string,
      input: CatalogParameterInput,
      actor: Actor,
      forceReason?: string,
    ): Promise<CatalogChangeResponse> {
      if (input.name !== name)
        throw InvalidInputError.field("body", "name", `must be ${name}, the parameter being updated`);
      return saveParameter(input, actor, forceReason, "update");
    },

    async deprecate(
      name: string,
      how: { replacement?: string | undefined; reason: string },
      actor: Actor,
      forceReason?: string,
    ) {
      const existing = await read.parameter(name);
      if (!existing) throw new NotFoundError(`no parameter ${name} in the catalog`);
      const { replacement, ...rest } = existing.definition;
      return saveParameter(
        { ...rest, deprecated: true, reason: how.reason, ...(how.replacement ? { replacement: how.replacement } : {}) },
        actor,
        forceReason,
        "update",
      );
    },

    async setPolicy(
      strategy: string,
      policy: CatalogPolicy,
      actor: Actor,
      forceReason?: string,
    ): Promise<CatalogChangeResponse> {
      let before: CatalogPolicy = "open";
      return change(
        actor,
        `policy of ${strategy}: ${policy}`,
        forceReason,
        async (state) => {
          before = state.policies[strategy] ?? "open";
          if (before === policy) return undefined;
          return { ...state, policies: { ...state.policies, [strategy]: policy } };
        },
        (revision, q) => catalogStore(q).savePolicy(strategy, policy, revision, before),
      );
    },

    async revisions() {
      const rows = await read.revisions();
      return { items: rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() })) };
    },

    async diff(a: number, b: number): Promise<CatalogRevisionDiff> {
      const current = await read.currentRevision();
      for (const [field, r] of [
        ["a", a],
        ["b", b],
      ] as const) {
        if (r > current)
          throw InvalidInputError.field("path", field, `revision ${r} does not exist (current: ${current})`);
      }
      const [left, right] = [await read.stateAt(a), await read.stateAt(b)];
      const diff: CatalogRevisionDiff = { a, b, added: {}, removed: {}, changed: {} };
      for (const [subject, value] of right) {
        if (!left.has(subject)) diff.added[subject] = value;
        else if (!same(left.get(subject), value)) diff.changed[subject] = { old: left.get(subject), new: value };
      }
      for (const [subject, value] of left) if (!right.has(subject)) diff.removed[subject] = value;
      return diff;
    },

    async rules() {
      return { revision: await read.currentRevision(), items: await read.rules() };
    },

    /** Adds or replaces a rule; refused when it does not parse or names an unknown parameter. */
    async saveRule(
      rule: CatalogRule,
      actor: Actor,
      forceReason?: string,
      expectedName?: string,
    ): Promise<CatalogChangeResponse> {
      if (expectedName !== undefined && rule.name !== expectedName) {
        throw InvalidInputError.field("body", "name", `must be ${expectedName}, the rule being updated`);
      }
      let before: CatalogRule | undefined;
      return change(
        actor,
        `save rule ${rule.name}`,
        forceReason,
        async (state) => {
          before = state.rules.find((r) => r.name === rule.name);
          if (before && same(before, rule)) return undefined;
          const known = state.parameters
            .filter((p) => rule.strategies.length === 0 || rule.strategies.some((s) => appliesTo(p, s)))
            .map((p) => p.name);
          const problems = checkRule(rule, known);
          if (problems.length > 0) throw InvalidInputError.field("body", "expression", problems.join("; "));
          return { ...state, rules: [...state.rules.filter((r) => r.name !== rule.name), rule] };
        },
        (revision, q) => catalogStore(q).saveRule(rule.name, rule, revision, before),
      );
    },

    async removeRule(name: string, actor: Actor): Promise<CatalogChangeResponse> {
      let before: CatalogRule | undefined;
      return change(
        actor,
        `remove rule ${name}`,
        undefined,
        async (state) => {
          before = state.rules.find((r) => r.name === name);
          if (!before) throw new NotFoundError(`no rule ${name} in the catalog`);
          return { ...state, rules: state.rules.filter((r) => r.name !== name) };
        },
        (revision, q) => catalogStore(q).saveRule(name, undefined, revision, before),
      );
    },

    /** The cartesian grid of the parameters' variants: what an experiment sweep tries next. */
    async grid(names: string[], strategy: string | undefined): Promise<VariantGrid> {
      const parameters = await read.parameters();
      const lists = names.map((name) => {
        const p = parameters.find((x) => x.name === name);
        if (!p) throw InvalidInputError.field("query", "parameters", `no parameter ${name} in the catalog`);
        if (strategy && !appliesTo(p, strategy)) {
          throw InvalidInputError.field("query", "parameters", `${name} does not apply to ${strategy}`);
        }
        if (!p.variants?.length) throw InvalidInputError.field("query", "parameters", `${name} has no variants`);
        return p.variants;
      });
      const size = lists.reduce((n, l) => n * l.length, 1);
      if (size > MAX_GRID)
        throw InvalidInputError.field(
          "query",
          "parameters",
          `the grid would have ${size} combinations (at most ${MAX_GRID})`,
        );
      const combinations = cartesian(lists).map((combo) => Object.fromEntries(names.map((n, i) => [n, combo[i]])));
      return { revision: await read.currentRevision(), parameters: names, size, combinations };
    },

    /**
     * Checks before activation: every required parameter has a value (in the version, or a
     * default), and in the protected environment an immutable parameter keeps the value it had
     * there. @throws ConflictError naming the parameters
     */
    async checkActivation(
      q: Queryable,
      a: { strategy: string; environment: string; configData: unknown; protectedEnvironment: string },
    ): Promise<void> {
      const parameters = (await catalogStore(q).parameters()).filter((p) => appliesTo(p, a.strategy) && !p.deprecated);
      const resolved = (data: unknown, name: string) => {
        const own = valueAt(data, name);
        if (own.found) return own;
        const p = parameters.find((x) => x.name === name);
        return p?.default !== undefined ? { found: true as const, value: p.default } : { found: false as const };
      };
      const missing = parameters.filter((p) => p.required && !resolved(a.configData, p.name).found).map((p) => p.name);
      if (missing.length > 0) {
        throw new ConflictError(
          `required parameters without a value (not in the version, no default): ${missing.join(", ")}`,
        );
      }
      if (a.environment !== a.protectedEnvironment) return;
      const { rows } = await q.query<{ config_data: unknown }>(
        `SELECT v.config_data FROM activations a JOIN config_versions v ON v.id = a.config_version_id
         WHERE a.strategy_name = $1 AND a.environment = $2 ORDER BY a.id DESC LIMIT 1`,
        [a.strategy, a.environment],
      );
      if (!rows[0]) return; // never active there: nothing is set yet
      const changed = parameters
        .filter((p) => p.immutable)
        .filter((p) => {
          const [before, after] = [resolved(rows[0]?.config_data, p.name), resolved(a.configData, p.name)];
          return before.found && (!after.found || !same(before.value, after.value));
        })
        .map((p) => p.name);
      if (changed.length > 0) {
        throw new ConflictError(
          `immutable parameters cannot change in ${a.environment} once set: ${changed.join(", ")}`,
        );
      }
    },

    /** Names of the `critical` parameters that apply to a strategy (changing one needs approval). */
    async criticalParameters(q: Queryable, strategy: string): Promise<string[]> {
      return (await catalogStore(q).parameters())
        .filter((p) => p.criticality === "critical" && appliesTo(p, strategy))
        .map((p) => p.name);
    },

    /** Validates a strategy's config data against the catalog; returns the revision used. */
    async validateConfig(q: Queryable, strategy: string, configData: unknown): Promise<number | null> {
      const problems = configProblems(await loadState(q), strategy, configData);
      if (problems.length > 0) {
        const errors = problems.map((p) => ({ ...p, location: "body" as const }));
        throw new InvalidInputError(errors.map((e) => `${e.field}: ${e.message}`).join("; "), errors);
      }
      const revision = await catalogStore(q).currentRevision();
      return revision === 0 ? null : revision;
    },
  };
}

export type CatalogService = ReturnType<typeof catalogServiceFactory>;
