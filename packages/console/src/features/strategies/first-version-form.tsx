/**
 * @module A new strategy's first version: a typed field per catalog parameter, prefilled with the
 * defaults and checked as the editor checks (the server's own catalog schema and coherence rules);
 * Save creates the version (POST /api/v1/configs) and opens the strategy's versions. The server's
 * refusals show at the fields they name (the name, a parameter), anything else above the button.
 */
import type { EnvironmentBase } from "@tradai/core";
import { type FormEvent, useMemo, useState } from "react";
import { type UseFormReturn, useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { ApiError } from "@/lib/api";
import { defaultValues } from "./catalog-choices";
import type { StrategyCatalog } from "./catalog-query";
import { configDataOf } from "./config-data";
import { useCreateVersionMutation } from "./create-version-mutation";
import { editorResolver } from "./editor-resolver";
import type { NewStrategyName } from "./new-strategy-form";
import { ParameterGroups } from "./parameter-groups";
import { SaveVersionCard } from "./save-version-card";

export interface FirstVersionFormProps {
  head: UseFormReturn<NewStrategyName>;
  /** The name typed so far. */
  strategy: string;
  catalog: StrategyCatalog;
  environment: string;
  base: EnvironmentBase | undefined;
}

export function FirstVersionForm({ head, strategy, catalog, environment, base }: FirstVersionFormProps) {
  const navigate = useNavigate();
  const resolver = useMemo(
    () => editorResolver(catalog.parameters, catalog.rules, strategy, catalog.policy),
    [catalog, strategy],
  );
  const [initial] = useState(() => defaultValues(catalog));
  const form = useForm<Record<string, unknown>>({
    resolver,
    defaultValues: initial,
    mode: "onChange",
  });
  const [description, setDescription] = useState("");
  const [failure, setFailure] = useState<unknown>(null);
  const create = useCreateVersionMutation();
  const known = new Set(catalog.parameters.map((p) => p.name));

  /** The server's field errors at their fields; whether every one found its field. */
  const placeServerErrors = (error: ApiError) => {
    let placed = 0;
    for (const e of error.fieldErrors) {
      const parameter = e.field.replace(/^config_data\./, "");
      if (e.field === "strategy_name") head.setError("name", { type: "server", message: e.message });
      else if (e.field !== parameter && known.has(parameter))
        form.setError(parameter, { type: "server", message: e.message });
      else continue;
      placed++;
    }
    return placed > 0 && placed === error.fieldErrors.length;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const [nameOk, valuesOk] = await Promise.all([
      head.trigger("name", { shouldFocus: true }),
      form.trigger(undefined, { shouldFocus: true }),
    ]);
    if (!nameOk || !valuesOk) return;
    const name = head.getValues("name").trim();
    try {
      const created = await create.mutateAsync({
        strategy: name,
        environment,
        configData: configDataOf(form.getValues()),
        description,
      });
      toast(`Created ${created.strategy_name} ${created.config_id}`);
      navigate(`/strategies/${encodeURIComponent(created.strategy_name)}/versions`);
    } catch (error) {
      if (!(error instanceof ApiError) || !placeServerErrors(error)) setFailure(error);
    }
  };

  const invalid = Object.keys(form.formState.errors).length > 0 || head.formState.errors.name !== undefined;
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="First version">
      {catalog.parameters.length === 0 && (
        <Alert tone="info">
          The catalog has no parameter for this strategy: its first version starts empty. Add parameters in its editor
          or the catalog.
        </Alert>
      )}
      <ParameterGroups
        catalog={catalog}
        control={form.control}
        resolved={null}
        base={base}
        readOnly={false}
        after={
          <SaveVersionCard
            id="first-version-title"
            title="Save the first version"
            hint="What this first version is for (optional)."
            action="Create strategy"
            description={description}
            onDescription={setDescription}
            saving={create.isPending}
            invalid={invalid}
            rootError={form.formState.errors.root?.message && String(form.formState.errors.root.message)}
            failure={failure}
          />
        }
      />
    </form>
  );
}
