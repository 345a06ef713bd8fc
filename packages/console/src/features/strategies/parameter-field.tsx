/**
 * @module One parameter in the editor: its typed control with description, unit, default, where the
 * current value comes from (provenance), badges, and its error (the client's check or the server's).
 */
import type { CatalogParameter, Provenance } from "@tradai/core";
import { type Control, Controller, get, useFormState } from "react-hook-form";
import { formatValue } from "@/components/diff-table";
import { Field } from "@/components/field";
import { ParameterBadges } from "@/components/parameter-badges";
import { Button } from "@/components/ui/button";
import { ParameterInput } from "./parameter-input";

const LAYER_LABELS: Record<Provenance["layer"], string> = {
  catalog_default: "catalog default",
  environment_base: "environment base values",
  config_version: "active version",
  run_override: "run override",
};

export interface ParameterFieldProps {
  parameter: CatalogParameter;
  control: Control<Record<string, unknown>>;
  /** The value it resolves to now in this environment, and which layer gave it. */
  /** noActiveVersion: nothing is in force in this environment, so there is no current value. */
  current: { found: boolean; value: unknown; provenance?: Provenance | undefined; noActiveVersion?: boolean };
  /** What it would resolve to without a value in this version (catalog default or environment base). */
  inherited: unknown;
  readOnly: boolean;
}

function Details({ parameter, current }: Pick<ParameterFieldProps, "parameter" | "current">) {
  return (
    <span className="flex flex-col gap-0.5">
      <span>{parameter.description}</span>
      <span>
        {parameter.unit && <>Unit: {parameter.unit}. </>}
        {parameter.min !== undefined && <>Min {parameter.min}. </>}
        {parameter.max !== undefined && <>Max {parameter.max}. </>}
        {parameter.step !== undefined && <>Step {parameter.step}. </>}
        Default: {parameter.default === undefined ? "none" : <code>{formatValue(parameter.default)}</code>}.
        {parameter.required && " Required."}
      </span>
      <span data-testid="provenance">
        Current value:{" "}
        {current.found ? (
          <>
            <code>{formatValue(current.value)}</code>
            {current.provenance && (
              <>
                {" "}
                from {LAYER_LABELS[current.provenance.layer]} ({current.provenance.source})
              </>
            )}
          </>
        ) : current.noActiveVersion ? (
          "none: no version is active in this environment"
        ) : (
          "not set in any layer"
        )}
      </span>
      {parameter.deprecated && parameter.reason && <span>Deprecated: {parameter.reason}</span>}
    </span>
  );
}

export function ParameterField({ parameter, control, current, inherited, readOnly }: ParameterFieldProps) {
  const { errors } = useFormState({ control, name: parameter.name });
  const error = (get(errors, parameter.name) as { message?: string } | undefined)?.message;
  return (
    <div data-parameter={parameter.name} className="min-w-0 rounded-md border p-3">
      <Controller
        control={control}
        name={parameter.name}
        render={({ field }) => (
          <Field
            label={<span className="break-all font-mono">{parameter.name}</span>}
            aside={<ParameterBadges parameter={parameter} />}
            description={<Details parameter={parameter} current={current} />}
            error={error}
          >
            {(controlProps) => (
              <div className="flex flex-wrap items-center gap-2">
                <div className="min-w-0 flex-1 basis-48">
                  <ParameterInput
                    parameter={parameter}
                    control={controlProps}
                    value={field.value}
                    inherited={inherited}
                    onChange={field.onChange}
                    onBlur={field.onBlur}
                    inputRef={field.ref}
                    disabled={readOnly || (parameter.deprecated && field.value === undefined)}
                  />
                </div>
                {!readOnly && field.value !== undefined && (
                  <Button variant="ghost" size="sm" onClick={() => field.onChange(undefined)}>
                    Use inherited<span className="sr-only"> value of {parameter.name}</span>
                  </Button>
                )}
              </div>
            )}
          </Field>
        )}
      />
    </div>
  );
}
