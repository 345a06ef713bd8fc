/**
 * @module Catalog changes as values: each operation (save a parameter, set a policy, save or remove
 * a rule) is data a change request can hold, the state it leads to, and how it is stored.
 */
import { appliesTo, type CatalogParameter, type CatalogPolicy, type CatalogRule, checkRule } from "@tradai/core";
import type { Queryable } from "../../db/database.js";
import { InvalidInputError, NotFoundError } from "../../http/errors.js";
import { type CatalogState, same } from "./state.js";
import { catalogStore } from "./store.js";

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

/** A catalog change as a change request holds it: carried out again, as it is, on approval. */
export type CatalogOperation =
  | { op: "save_parameter"; mode: "create" | "update"; parameter: CatalogParameter }
  | { op: "set_policy"; strategy: string; policy: CatalogPolicy }
  | { op: "save_rule"; rule: CatalogRule }
  | { op: "remove_rule"; name: string };

export interface CatalogChangeOptions {
  /** apply even though active versions would become invalid, recording why */
  forceReason?: string | undefined;
  freezeOverrideReason?: string | undefined;
}

export const summaryOf = (o: CatalogOperation): string => {
  switch (o.op) {
    case "save_parameter":
      return `${o.mode} parameter ${o.parameter.name}`;
    case "set_policy":
      return `policy of ${o.strategy}: ${o.policy}`;
    case "save_rule":
      return `save rule ${o.rule.name}`;
    case "remove_rule":
      return `remove rule ${o.name}`;
  }
};

/** The catalog state after the operation; undefined: it changes nothing. @throws on an invalid operation */
export function nextState(state: CatalogState, o: CatalogOperation): CatalogState | undefined {
  switch (o.op) {
    case "save_parameter": {
      const { parameter, mode } = o;
      const previous = state.parameters.find((p) => p.name === parameter.name);
      if (mode === "create" && previous)
        throw InvalidInputError.field("body", "name", `parameter ${parameter.name} already exists`);
      if (mode === "update" && !previous) throw new NotFoundError(`no parameter ${parameter.name} in the catalog`);
      if (previous && same(previous, parameter)) return undefined;
      checkNameFits(parameter, state.parameters);
      return { ...state, parameters: [...state.parameters.filter((p) => p.name !== parameter.name), parameter] };
    }
    case "set_policy":
      // An explicit policy, even "open", is kept: without one the catalog decides (see effectivePolicy).
      if (state.policies[o.strategy] === o.policy) return undefined;
      return { ...state, policies: { ...state.policies, [o.strategy]: o.policy } };
    case "save_rule": {
      const { rule } = o;
      const before = state.rules.find((r) => r.name === rule.name);
      if (before && same(before, rule)) return undefined;
      const known = state.parameters
        .filter((p) => rule.strategies.length === 0 || rule.strategies.some((s) => appliesTo(p, s)))
        .map((p) => p.name);
      const problems = checkRule(rule, known);
      if (problems.length > 0) throw InvalidInputError.field("body", "expression", problems.join("; "));
      return { ...state, rules: [...state.rules.filter((r) => r.name !== rule.name), rule] };
    }
    case "remove_rule":
      if (!state.rules.some((r) => r.name === o.name)) throw new NotFoundError(`no rule ${o.name} in the catalog`);
      return { ...state, rules: state.rules.filter((r) => r.name !== o.name) };
  }
}

/** Stores the operation under `revision`, with the previous definition for the revision history. */
export async function writeOperation(q: Queryable, o: CatalogOperation, revision: number, current: CatalogState) {
  const store = catalogStore(q);
  switch (o.op) {
    case "save_parameter":
      return store.saveParameter(
        o.parameter,
        revision,
        current.parameters.find((p) => p.name === o.parameter.name),
      );
    case "set_policy":
      return store.savePolicy(o.strategy, o.policy, revision, current.policies[o.strategy] ?? null);
    case "save_rule":
      return store.saveRule(
        o.rule.name,
        o.rule,
        revision,
        current.rules.find((r) => r.name === o.rule.name),
      );
    case "remove_rule":
      return store.saveRule(
        o.name,
        undefined,
        revision,
        current.rules.find((r) => r.name === o.name),
      );
  }
}
