/**
 * @module The editor's validation: the very checks the server runs when a version is created
 * (core's catalog compiled to a Zod schema, then the coherence rules), with each rule violation
 * placed at every parameter the rule reads, so it shows next to those fields before anything is sent.
 * Loaded on a form's first validation (./editor-resolver): the rule engine is not needed to show it.
 */
import {
  type CatalogParameter,
  type CatalogPolicy,
  type CatalogRule,
  compileCatalog,
  evaluateRules,
  referencedParameters,
} from "@tradai/core";
import type { z } from "zod";
import { configDataOf } from "./config-data";

function ruleReferences(rule: CatalogRule): string[] {
  try {
    return referencedParameters(rule.expression);
  } catch {
    return [];
  }
}

/** The schema for the editor form of `strategy`: catalog checks, then the coherence rules. */
export function editorSchema(
  parameters: readonly CatalogParameter[],
  rules: readonly CatalogRule[],
  strategy: string,
  policy: CatalogPolicy,
): z.ZodType<Record<string, unknown>, Record<string, unknown>> {
  const fieldNames = new Set(parameters.map((p) => p.name));
  return (
    compileCatalog(parameters, strategy, policy) as z.ZodType<Record<string, unknown>, Record<string, unknown>>
  ).superRefine((values, ctx) => {
    const data = configDataOf(values);
    for (const violation of evaluateRules(rules, data)) {
      const rule = rules.find((r) => r.name === violation.rule);
      const message = `rule ${violation.rule} violated: ${violation.message}${violation.detail ? ` (${violation.detail})` : ""}`;
      const fields = (rule ? ruleReferences(rule) : []).filter((name) => fieldNames.has(name));
      if (fields.length === 0) ctx.addIssue({ code: "custom", path: ["root"], message });
      for (const name of fields) ctx.addIssue({ code: "custom", path: name.split("."), message });
    }
  });
}
