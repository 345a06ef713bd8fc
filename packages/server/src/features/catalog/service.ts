/**
 * @module The catalog: parameters, coherence rules and per-strategy policies, changed only through
 * numbered revisions (who, when, what), each a governed change judged on what it does to every
 * resolved config and to the rules four eyes go by. A change that would make an active version
 * invalid is refused unless forced with a reason.
 */
import {
  appliesTo,
  type CatalogList,
  type CatalogParameter,
  type CatalogParameterInput,
  type CatalogPolicy,
  type CatalogRevisionDiff,
  type CatalogRule,
  catalogParameter,
  diffValues,
  type JsonValue,
  type ValuesDiff,
  type VariantGrid,
} from "@tradai/core";
import type { Actor } from "../../changes/actor.js";
import type { Change } from "../../changes/change.js";
import type { ChangeKernel } from "../../changes/kernel.js";
import type { Queryable } from "../../db/database.js";
import { ConflictError, InvalidInputError, NotFoundError } from "../../http/errors.js";
import {
  type CatalogChangeOptions,
  type CatalogOperation,
  nextState,
  summaryOf,
  writeOperation,
} from "./operations.js";
import { activeVersionProblems, loadState, same, stateMap } from "./state.js";
import { catalogStore } from "./store.js";
import { gridOf } from "./sweep-grid.js";

const MAX_GRID = 10_000;

interface CatalogOutcome {
  revision: number;
  changed: boolean;
  diff: ValuesDiff;
}

const emptyDiff = (): ValuesDiff => ({ added: {}, removed: {}, changed: {} });

export interface CatalogFilter {
  group?: string | undefined;
  strategy?: string | undefined;
  type?: string | undefined;
  deprecated?: boolean | undefined;
  q?: string | undefined;
}

export function catalogServiceFactory({ db, changes }: { db: Queryable; changes: ChangeKernel }) {
  const read = catalogStore(db);

  /**
   * One catalog change, through the change kernel: the catalog is a layer of every resolved config
   * and holds the rules four eyes go by, so it is judged everywhere. The new state is checked
   * against active versions (refused unless forced with a reason), then stored as a revision.
   */
  const catalogChange = (o: CatalogOperation, options: CatalogChangeOptions): Change<CatalogOutcome> => ({
    what: `the catalog change "${summaryOf(o)}"`,
    event: "catalog",
    affects: [{}],
    freezeOverrideReason: options.freezeOverrideReason,
    async work(tx, record) {
      const store = catalogStore(tx);
      const current = await loadState(tx);
      const proposed = nextState(current, o);
      if (!proposed) return { revision: await store.currentRevision(), changed: false, diff: emptyDiff() };
      const before = await activeVersionProblems(tx, current);
      const after = await activeVersionProblems(tx, proposed);
      const broken = [...after].filter(([key]) => !before.has(key));
      if (broken.length > 0 && !options.forceReason) {
        const unknownKeys = broken.some(([, problems]) => problems.some((m) => m.includes("policy is strict")));
        throw new ConflictError(
          `the change would make active versions invalid: ${broken.map(([key, p]) => `${key} (${p.join("; ")})`).join(", ")}; ` +
            "fix them first, or force the change with force_reason" +
            (unknownKeys
              ? ", or set the strategy's catalog policy to open to keep keys the catalog does not describe"
              : ""),
        );
      }
      const revision = (await store.currentRevision()) + 1;
      const forcedReason = broken.length > 0 ? (options.forceReason ?? null) : null;
      await store.addRevision({ revision, by: record.actor.name, summary: summaryOf(o), forcedReason });
      await writeOperation(tx, o, revision, current);
      const diff = diffValues(stateMap(current), stateMap(proposed));
      record.audit({
        action: "catalog.change",
        target_type: "catalog_revision",
        target_id: String(revision),
        details: {
          summary: summaryOf(o),
          forced_reason: forcedReason,
          broken_active_versions: forcedReason ? broken.map(([key]) => key) : [],
          diff,
        },
      });
      return { revision, changed: true, diff };
    },
    propose: ({ diff }) => ({
      kind: "catalog",
      command: {
        name: "catalog",
        payload: { operation: o, force_reason: options.forceReason ?? null } as unknown as JsonValue,
      },
      summary: summaryOf(o),
      environment: null,
      diff,
    }),
  });

  changes.registerCommand("catalog", (payload) => {
    const { operation, force_reason } = payload as unknown as {
      operation: CatalogOperation;
      force_reason: string | null;
    };
    return catalogChange(operation, { forceReason: force_reason ?? undefined }) as Change<unknown>;
  });

  async function commit(actor: Actor, o: CatalogOperation, options: CatalogChangeOptions) {
    const outcome = await changes.commitChange(actor, catalogChange(o, options));
    if (outcome.outcome === "proposed") return outcome;
    const { revision, changed } = outcome.result;
    return {
      outcome: "applied" as const,
      response: { revision, changed, ...(o.op === "save_parameter" ? { parameter: o.parameter } : {}) },
    };
  }

  async function saveParameter(
    input: CatalogParameterInput,
    actor: Actor,
    options: CatalogChangeOptions,
    mode: "create" | "update",
  ) {
    return commit(actor, { op: "save_parameter", mode, parameter: catalogParameter.parse(input) }, options);
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

    create: (input: CatalogParameterInput, actor: Actor, options: CatalogChangeOptions = {}) =>
      saveParameter(input, actor, options, "create"),

    async update(name: string, input: CatalogParameterInput, actor: Actor, options: CatalogChangeOptions = {}) {
      if (input.name !== name)
        throw InvalidInputError.field("body", "name", `must be ${name}, the parameter being updated`);
      return saveParameter(input, actor, options, "update");
    },

    async deprecate(
      name: string,
      how: { replacement?: string | undefined; reason: string },
      actor: Actor,
      options: CatalogChangeOptions = {},
    ) {
      const existing = await read.parameter(name);
      if (!existing) throw new NotFoundError(`no parameter ${name} in the catalog`);
      const { replacement, ...rest } = existing.definition;
      return saveParameter(
        { ...rest, deprecated: true, reason: how.reason, ...(how.replacement ? { replacement: how.replacement } : {}) },
        actor,
        options,
        "update",
      );
    },

    setPolicy: (strategy: string, policy: CatalogPolicy, actor: Actor, options: CatalogChangeOptions = {}) =>
      commit(actor, { op: "set_policy", strategy, policy }, options),

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
    async saveRule(rule: CatalogRule, actor: Actor, options: CatalogChangeOptions = {}, expectedName?: string) {
      if (expectedName !== undefined && rule.name !== expectedName) {
        throw InvalidInputError.field("body", "name", `must be ${expectedName}, the rule being updated`);
      }
      return commit(actor, { op: "save_rule", rule }, options);
    },

    removeRule: (name: string, actor: Actor, options: CatalogChangeOptions = {}) =>
      commit(actor, { op: "remove_rule", name }, options),

    /** The cartesian grid of the parameters' variants: what an experiment sweep tries next. */
    /** The grid of the parameters' sweep values (allowed values, steps, or variants): what a sweep tries next. */
    async grid(names: string[], strategy: string | undefined): Promise<VariantGrid> {
      const grid = await gridOf(db, names, strategy, { location: "query", field: "parameters" }, MAX_GRID);
      return {
        revision: grid.revision,
        parameters: names,
        size: grid.combinations.length,
        combinations: grid.combinations,
      };
    },
  };
}

export type CatalogService = ReturnType<typeof catalogServiceFactory>;
