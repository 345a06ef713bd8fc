/**
 * @module The form that adds a catalog parameter or replaces one's definition. Its fields follow
 * the type (allowed values, bounds and step, a default control per type, variants); it is
 * validated by core's `catalogParameter` before anything is sent, and the server's field errors
 * are shown at the fields they name. What became of the change (applied, or a change request) goes
 * to `onSaved`; a proposal and any refusal are shown under the form.
 */
import { useForm } from "react-hook-form";
import { Field } from "@/components/field";
import { SwitchField } from "@/components/switch-field";
import { Button } from "@/components/ui/button";
import { Input, Select, Textarea } from "@/components/ui/input";
import { placeFieldErrors } from "@/lib/form-errors";
import type { CatalogChangeOutcome } from "./catalog-change";
import { CatalogChangeFeedback } from "./catalog-change-feedback";
import { useCatalogChange } from "./catalog-change-flow";
import {
  type DraftField,
  draftFieldOf,
  draftToInput,
  EMPTY_DRAFT,
  fieldsOf,
  PARAMETER_TYPES,
  type ParameterDraft,
  parameterResolver,
} from "./parameter-draft";
import { useSaveParameter } from "./parameter-save-mutation";
import { RELOAD_HINTS, RELOAD_LABELS, RELOAD_OPTIONS } from "./reload-class";

const TYPE_HINT: Record<string, string> = {
  bool: "true or false",
  int: "a whole number",
  number: "a number",
  string: "text",
  enum: "one of the allowed values",
  duration: "such as 30s, 15m, 4h",
  list: "a list of strings, numbers or booleans",
  json: "any JSON value",
  secret_ref: "a reference such as vault://trading/api-key, never the secret",
  number_map: 'numbers by numeric key, e.g. {"0": 0.04, "30": 0.02}; bounds apply to each number',
};

export function ParameterForm({
  mode,
  initial = EMPTY_DRAFT,
  onSaved,
  onCancel,
}: {
  mode: "create" | "update";
  initial?: ParameterDraft;
  onSaved: (outcome: CatalogChangeOutcome, name: string) => void;
  onCancel?: () => void;
}) {
  const form = useForm<ParameterDraft>({ resolver: parameterResolver, defaultValues: initial });
  const change = useCatalogChange(useSaveParameter(mode), {
    onDone: (outcome, sent) => onSaved(outcome, sent.parameter.name),
    placeFieldErrors: (error) =>
      placeFieldErrors(error, form.setError, (e) => (e.location === "body" ? draftFieldOf(e.field) : undefined)),
  });
  const { errors, isSubmitting } = form.formState;
  const type = form.watch("type");
  const deprecated = form.watch("deprecated");
  const reload = form.watch("reload");
  const allowedText = form.watch("allowed");
  const has = fieldsOf(type);
  const err = (field: DraftField) => errors[field]?.message;

  const submit = form.handleSubmit((draft) => change.send({ parameter: draftToInput(draft).input }));

  const text = (field: DraftField, label: string, description?: string, props: { placeholder?: string } = {}) => (
    <Field label={label} description={description} error={err(field)}>
      {(control) => <Input {...control} {...props} {...form.register(field)} />}
    </Field>
  );
  const toggle = (field: "required" | "immutable" | "deprecated", label: string, description: string) => (
    <SwitchField control={form.control} name={field} label={label} description={description} error={err(field)} />
  );
  const allowedValues = allowedText
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

  return (
    <form
      onSubmit={submit}
      noValidate
      className="space-y-4"
      aria-label={mode === "create" ? "New parameter" : "Edit parameter"}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" description="Dotted lower-case path, e.g. risk.stoploss" error={err("name")}>
          {(control) => (
            <Input {...control} readOnly={mode === "update"} autoComplete="off" {...form.register("name")} />
          )}
        </Field>
        <Field label="Type" description={TYPE_HINT[type]} error={err("type")}>
          {(control) => (
            <Select {...control} {...form.register("type")}>
              {PARAMETER_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Description" className="sm:col-span-2" error={err("description")}>
          {(control) => <Textarea {...control} rows={2} {...form.register("description")} />}
        </Field>
        {text("group", "Group")}
        {text("unit", "Unit", "Optional, e.g. USDT, candles, fraction")}
        {has.allowed && (
          <Field
            label="Allowed values"
            className="sm:col-span-2"
            description={
              type === "enum"
                ? "Comma-separated; an enum needs at least one"
                : `Comma-separated; optional${has.bounds ? " (numbers)" : ""}${type === "list" ? "; every item must be one of them" : ""}`
            }
            error={err("allowed")}
          >
            {(control) => <Input {...control} autoComplete="off" {...form.register("allowed")} />}
          </Field>
        )}
        {has.bounds && (
          <div className="grid grid-cols-3 gap-3 sm:col-span-2">
            {text("min", "Minimum")}
            {text("max", "Maximum")}
            {text("step", "Step", "Optional; values lie on min + k x step")}
          </div>
        )}
        <Field
          label="Default"
          className="sm:col-span-2"
          description={
            has.jsonValues
              ? `JSON, e.g. ${type === "list" ? '["BTC/USDT", "ETH/USDT"]' : '{"a": 1}'}; empty: no default`
              : "Empty: no default"
          }
          error={err("default")}
        >
          {(control) =>
            type === "bool" ? (
              <Select {...control} {...form.register("default")}>
                <option value="">no default</option>
                <option value="true">true</option>
                <option value="false">false</option>
              </Select>
            ) : type === "enum" ? (
              <Select {...control} {...form.register("default")}>
                <option value="">no default</option>
                {allowedValues.map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </Select>
            ) : (
              <Input
                {...control}
                autoComplete="off"
                inputMode={has.bounds ? "decimal" : undefined}
                className="font-mono"
                {...form.register("default")}
              />
            )
          }
        </Field>
        <Field label="Reload" description={RELOAD_HINTS[reload]} error={err("reload")}>
          {(control) => (
            <Select {...control} {...form.register("reload")}>
              {RELOAD_OPTIONS.map((c) => (
                <option key={c} value={c}>
                  {RELOAD_LABELS[c]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field
          label="Criticality"
          description="Changing a critical parameter needs approval"
          error={err("criticality")}
        >
          {(control) => (
            <Select {...control} {...form.register("criticality")}>
              <option value="normal">normal</option>
              <option value="critical">critical</option>
            </Select>
          )}
        </Field>
        {toggle("required", "Required", "Activation needs a value (in the version or a default)")}
        {toggle("immutable", "Immutable", "Cannot change in the protected environment once set")}
        {has.variants && (
          <Field
            label="Variants"
            className="sm:col-span-2"
            description={
              has.jsonValues
                ? "A JSON array of values for experiment sweeps"
                : "Comma-separated values for experiment sweeps"
            }
            error={err("variants")}
          >
            {(control) => (
              <Input {...control} autoComplete="off" className="font-mono" {...form.register("variants")} />
            )}
          </Field>
        )}
        <Field
          label="Comparability"
          description="Ignore: runs that differ only in this parameter still compare (relaxed)"
          error={err("comparability")}
        >
          {(control) => (
            <Select {...control} {...form.register("comparability")}>
              <option value="compare">compare</option>
              <option value="ignore">ignore</option>
            </Select>
          )}
        </Field>
        {has.variants && (
          <Field
            label="Deprecated values"
            className="sm:col-span-2"
            description={
              has.jsonValues
                ? 'A JSON object: {"<value as JSON>": {"replacement": …, "reason": "…"}}'
                : "One per line: VALUE -> REPLACEMENT: reason. Versions and runs using one are refused, naming the replacement"
            }
            error={err("deprecated_values")}
          >
            {(control) => (
              <Textarea
                {...control}
                rows={2}
                autoComplete="off"
                className="font-mono"
                placeholder={has.jsonValues ? undefined : "ATR1.5_3.0_H5 -> ATR0.5_1.5_H4: incident #673"}
                {...form.register("deprecated_values")}
              />
            )}
          </Field>
        )}
        <Field
          label="Strategies"
          className="sm:col-span-2"
          description="Comma-separated strategy names; empty: applies to every strategy"
          error={err("strategies")}
        >
          {(control) => <Input {...control} autoComplete="off" {...form.register("strategies")} />}
        </Field>
        {mode === "update" && toggle("deprecated", "Deprecated", "Versions that set it are refused")}
        {mode === "update" && deprecated && (
          <>
            {text("replacement", "Replacement", "The parameter to use instead (optional)")}
            {text("reason", "Deprecation reason")}
          </>
        )}
      </div>
      <CatalogChangeFeedback state={change.state} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={isSubmitting || change.state.pending}>
          {isSubmitting ? "Saving…" : mode === "create" ? "Add parameter" : "Save definition"}
        </Button>
        {onCancel && (
          <Button variant="outline" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
