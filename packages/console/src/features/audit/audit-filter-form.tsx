/** @module The audit trail's filter form: actor, action, target (type + id) and time range, validated as the server does. */
import { zodResolver } from "@hookform/resolvers/zod";
import { useEffect, useRef } from "react";
import { useForm } from "react-hook-form";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import {
  type AuditFilter,
  type AuditFilterFormInput,
  auditFilterForm,
  formValues,
  KNOWN_AUDIT_ACTIONS,
  KNOWN_TARGET_TYPES,
  searchFromFilter,
} from "./audit-filter";

export function AuditFilterForm({ filter, onApply }: { filter: AuditFilter; onApply(filter: AuditFilter): void }) {
  const form = useForm<AuditFilterFormInput, unknown, AuditFilter>({
    resolver: zodResolver(auditFilterForm),
    defaultValues: formValues(filter),
  });
  const { errors } = form.formState;
  // The URL is the truth: back/forward or a link sets the form again. Our own Apply coming back
  // through the URL does not: the form already shows it, and may hold what was typed since.
  const key = searchFromFilter(filter).toString();
  const applied = useRef<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the filter (by value) changes
  useEffect(() => {
    if (applied.current === key) applied.current = null;
    else form.reset(formValues(filter));
  }, [key]);
  const apply = (next: AuditFilter) => {
    applied.current = searchFromFilter(next).toString();
    onApply(next);
  };

  const submit = form.handleSubmit(apply);
  const clear = () => {
    form.reset(formValues({}));
    apply({});
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Filter the audit trail" className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <Field label="Actor" error={errors.actor?.message} description="User or service account name">
          {(control) => <Input {...control} autoComplete="off" {...form.register("actor")} />}
        </Field>
        <Field label="Action" error={errors.action?.message} description="e.g. config.activate">
          {(control) => (
            <Input
              {...control}
              list="audit-actions"
              autoComplete="off"
              spellCheck={false}
              {...form.register("action")}
            />
          )}
        </Field>
        <Field label="Target type" error={errors.target_type?.message} description="e.g. config_version">
          {(control) => (
            <Input
              {...control}
              list="audit-target-types"
              autoComplete="off"
              spellCheck={false}
              {...form.register("target_type")}
            />
          )}
        </Field>
        <Field label="Target id" error={errors.target_id?.message} description="e.g. MeanReversionDemo/v2-1a2b3c4d">
          {(control) => <Input {...control} autoComplete="off" spellCheck={false} {...form.register("target_id")} />}
        </Field>
        <Field label="Since (UTC)" error={errors.since?.message} description="From this time on">
          {(control) => <Input {...control} type="datetime-local" {...form.register("since")} />}
        </Field>
        <Field label="Until (UTC)" error={errors.until?.message} description="Before this time">
          {(control) => <Input {...control} type="datetime-local" {...form.register("until")} />}
        </Field>
      </div>
      <datalist id="audit-actions">
        {KNOWN_AUDIT_ACTIONS.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <datalist id="audit-target-types">
        {KNOWN_TARGET_TYPES.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <div className="flex flex-wrap gap-2">
        <Button type="submit">Apply filters</Button>
        <Button type="button" variant="outline" onClick={clear}>
          Clear
        </Button>
      </div>
    </form>
  );
}
