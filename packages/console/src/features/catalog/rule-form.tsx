/**
 * @module Add or replace a coherence rule (name, CEL expression, message, strategies), validated by
 * core's `catalogRule`; the server's verdict on the expression (does not parse, names an unknown
 * parameter) is shown at the expression field.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { type CatalogRule, catalogRule } from "@tradai/core";
import { useState } from "react";
import { type Resolver, useForm } from "react-hook-form";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";
import { placeFieldErrors } from "@/lib/form-errors";
import { CatalogChangeFeedback } from "./catalog-change-feedback";
import { useCatalogChange } from "./catalog-change-flow";
import { useSaveRule } from "./rule-save-mutation";

/** The rule as the form holds it: strategies typed comma-separated. */
interface RuleDraft {
  name: string;
  expression: string;
  message: string;
  strategies: string;
}
const RULE_FIELDS = ["name", "expression", "message", "strategies"] as const;
type RuleField = (typeof RULE_FIELDS)[number];

const toList = (value: string) =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

const schemaResolver = zodResolver(catalogRule);
/** core's `catalogRule` (what the server parses the body with), given the strategies as a list. */
const ruleResolver: Resolver<RuleDraft, unknown, CatalogRule> = (values, ctx, options) =>
  schemaResolver({ ...values, strategies: toList(values.strategies) }, ctx, options as never) as never;

export function RuleForm({ initial, onDone }: { initial?: CatalogRule; onDone?: () => void }) {
  const [saved, setSaved] = useState<string | null>(null);
  const empty: RuleDraft = { name: "", expression: "", message: "", strategies: "" };
  const form = useForm<RuleDraft, unknown, CatalogRule>({
    resolver: ruleResolver,
    defaultValues: initial ? { ...initial, strategies: initial.strategies.join(", ") } : empty,
  });
  const { errors, isSubmitting } = form.formState;
  const change = useCatalogChange(useSaveRule(), {
    onDone: (outcome, { rule }) => {
      // A proposal stays on screen with the form as it was sent; nothing was saved.
      if (outcome.outcome !== "applied") return;
      const result = outcome.value;
      setSaved(
        result.changed ? `Rule ${rule.name} saved (revision ${result.revision}).` : `Rule ${rule.name} is unchanged.`,
      );
      form.reset(empty);
      onDone?.();
    },
    placeFieldErrors: (error) =>
      placeFieldErrors(error, form.setError, (e) =>
        e.location === "body" ? RULE_FIELDS.find((f) => e.field.split(".")[0] === f) : undefined,
      ),
  });
  const err = (field: RuleField) => {
    const e = errors[field] as { message?: string; [i: number]: { message?: string } } | undefined;
    return e?.message ?? (Array.isArray(e) ? e.find(Boolean)?.message : undefined);
  };

  const submit = form.handleSubmit((rule) => {
    setSaved(null);
    return change.send({ rule });
  });

  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="Add or replace a rule">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Rule name" description="Lower-case; an existing name is replaced" error={err("name")}>
          {(control) => <Input {...control} autoComplete="off" {...form.register("name")} />}
        </Field>
        <Field label="Rule strategies" description="Comma-separated; empty: every strategy" error={err("strategies")}>
          {(control) => <Input {...control} autoComplete="off" {...form.register("strategies")} />}
        </Field>
        <Field
          label="Expression"
          className="sm:col-span-2"
          description="CEL over parameter names, e.g. oversold < overbought"
          error={err("expression")}
        >
          {(control) => <Textarea {...control} rows={2} className="font-mono" {...form.register("expression")} />}
        </Field>
        <Field
          label="Message"
          className="sm:col-span-2"
          description="What is wrong when the rule is violated"
          error={err("message")}
        >
          {(control) => <Input {...control} autoComplete="off" {...form.register("message")} />}
        </Field>
      </div>
      <CatalogChangeFeedback state={change.state} />
      {saved && (
        <p role="status" className="text-sm text-green-800">
          {saved}
        </p>
      )}
      <Button type="submit" disabled={isSubmitting || change.state.pending}>
        {isSubmitting ? "Saving…" : "Save rule"}
      </Button>
    </form>
  );
}
