/**
 * @module What `catalog import` would change: each parameter, rule and policy of the file compared
 * with the server's; only differences become changes (create or update, never delete). Parameters
 * come first (rules name them), deprecated ones after their replacement, then rules, then policies.
 */
import type { ApiClient, ForceOption, Governed } from "@tradai/client";
import type { CatalogChangeResponse, CatalogParameter, CatalogPolicy, CatalogRule } from "@tradai/core";
import { type CatalogDocument, sameValue } from "./document.js";

export interface PlannedChange {
  /** `+ create parameter x`, `~ update parameter y: min -0.5 -> -0.3`, ... */
  line: string;
  /** Applied (a new revision), or a change request where the change needs four eyes. */
  apply: (api: ApiClient, opts: ForceOption) => Promise<Governed<CatalogChangeResponse>>;
}

export interface ImportPlan {
  changes: PlannedChange[];
  unchanged: { parameters: string[]; rules: string[]; policies: string[] };
  /** On the server, not in the file: left alone. */
  notInFile: { parameters: string[]; rules: string[] };
}

const show = (value: unknown) => {
  if (value === undefined) return "(none)";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** `min -0.5 -> -0.3, reload "restart" -> "hot"`: the fields that differ. */
function fieldChanges(before: object, after: object): string {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys
    .filter((k) => !sameValue(b[k] ?? null, a[k] ?? null))
    .map((k) => `${k} ${show(b[k])} -> ${show(a[k])}`)
    .join(", ");
}

/** Creations of a deprecated parameter wait for its replacement's creation. */
function replacementsFirst(parameters: CatalogParameter[], existing: ReadonlySet<string>): CatalogParameter[] {
  const known = new Set(existing);
  const inFile = new Set(parameters.map((p) => p.name));
  const pending = [...parameters];
  const out: CatalogParameter[] = [];
  while (pending.length > 0) {
    const ready = pending.findIndex((p) => !p.replacement || known.has(p.replacement) || !inFile.has(p.replacement));
    const [next] = pending.splice(ready === -1 ? 0 : ready, 1);
    if (!next) break;
    out.push(next);
    known.add(next.name);
  }
  return out;
}

export function planImport(
  file: CatalogDocument,
  server: { parameters: CatalogParameter[]; rules: CatalogRule[]; policies: Record<string, CatalogPolicy> },
): ImportPlan {
  const plan: ImportPlan = {
    changes: [],
    unchanged: { parameters: [], rules: [], policies: [] },
    notInFile: { parameters: [], rules: [] },
  };
  const serverParameters = new Map(server.parameters.map((p) => [p.name, p]));
  for (const p of replacementsFirst(file.parameters, new Set(serverParameters.keys()))) {
    const current = serverParameters.get(p.name);
    if (!current) {
      plan.changes.push({ line: `+ create parameter ${p.name}`, apply: (api, o) => api.createParameter(p, o) });
    } else if (sameValue(current, p)) plan.unchanged.parameters.push(p.name);
    else {
      plan.changes.push({
        line: `~ update parameter ${p.name}: ${fieldChanges(current, p)}`,
        apply: (api, o) => api.updateParameter(p, o),
      });
    }
  }
  const serverRules = new Map(server.rules.map((r) => [r.name, r]));
  for (const r of file.rules) {
    const current = serverRules.get(r.name);
    if (!current) plan.changes.push({ line: `+ create rule ${r.name}`, apply: (api, o) => api.saveRule(r, o) });
    else if (sameValue(current, r)) plan.unchanged.rules.push(r.name);
    else {
      plan.changes.push({
        line: `~ update rule ${r.name}: ${fieldChanges(current, r)}`,
        apply: (api, o) => api.saveRule(r, o),
      });
    }
  }
  for (const [strategy, policy] of Object.entries(file.policies)) {
    const current = server.policies[strategy] ?? "open";
    if (current === policy) plan.unchanged.policies.push(strategy);
    else {
      plan.changes.push({
        line: `~ set policy ${strategy}: ${current} -> ${policy}`,
        apply: (api, o) => api.setCatalogPolicy(strategy, policy, o),
      });
    }
  }
  const named = (items: { name: string }[]) => new Set(items.map((i) => i.name));
  const fileParameters = named(file.parameters);
  const fileRules = named(file.rules);
  plan.notInFile.parameters = server.parameters.map((p) => p.name).filter((n) => !fileParameters.has(n));
  plan.notInFile.rules = server.rules.map((r) => r.name).filter((n) => !fileRules.has(n));
  return plan;
}

/** The summary lines after the changes: unchanged counts and what the file does not mention. */
export function summaryLines(plan: ImportPlan): string[] {
  const { parameters, rules, policies } = plan.unchanged;
  const lines = [
    `= unchanged: ${parameters.length} parameter(s), ${rules.length} rule(s), ${policies.length} policy(ies)`,
  ];
  for (const name of plan.notInFile.parameters) lines.push(`. parameter ${name}: not in file, left alone`);
  for (const name of plan.notInFile.rules) lines.push(`. rule ${name}: not in file, left alone`);
  return lines;
}
