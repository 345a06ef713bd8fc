/**
 * @module The parameter editor's form: the catalog's parameters of a strategy grouped by group, the
 * active version's values to start from, client-side checks identical to the server's, and Save.
 */
import type { ConfigVersion, CreateConfigResponse, EnvironmentBase, ResolvedConfig } from "@tradai/core";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { Alert } from "@/components/ui/alert";
import { ApiError } from "@/lib/api";
import type { StrategyCatalog } from "./catalog-query";
import { configDataOf } from "./config-data";
import { useCreateVersionMutation } from "./create-version-mutation";
import { editorResolver } from "./editor-resolver";
import { ParameterGroups } from "./parameter-groups";
import { SaveResult } from "./save-result";
import { SaveVersionCard } from "./save-version-card";

export interface EditorFormProps {
  strategy: string;
  environment: string;
  catalog: StrategyCatalog;
  active: ConfigVersion | null;
  /** The version active in the environment now (its query follows the change feed). */
  activeId: string | null;
  resolved: ResolvedConfig | null;
  base: EnvironmentBase | undefined;
  readOnly: boolean;
}

export function EditorForm({
  strategy,
  environment,
  catalog,
  active,
  activeId,
  resolved,
  base,
  readOnly,
}: EditorFormProps) {
  const resolver = useMemo(
    () => editorResolver(catalog.parameters, catalog.rules, strategy, catalog.policy),
    [catalog, strategy],
  );
  const [initial] = useState(() => structuredClone(active?.config_data ?? {}));
  const [startedFrom] = useState(() => active?.config_id ?? null);
  const form = useForm<Record<string, unknown>>({
    resolver,
    defaultValues: initial,
    mode: "onChange",
  });
  const [description, setDescription] = useState("");
  const [saved, setSaved] = useState<CreateConfigResponse | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const create = useCreateVersionMutation();
  const known = useMemo(() => new Set(catalog.parameters.map((p) => p.name)), [catalog]);
  const uncatalogued = Object.keys(configDataOf(initial)).filter(
    (key) => !catalog.parameters.some((p) => p.name === key || p.name.startsWith(`${key}.`)),
  );

  const submit = form.handleSubmit(async () => {
    setFailure(null);
    setSaved(null);
    try {
      const result = await create.mutateAsync({
        strategy,
        environment,
        configData: configDataOf(form.getValues()),
        description,
      });
      setSaved(result);
    } catch (error) {
      let unplaced = !(error instanceof ApiError) || error.fieldErrors.length === 0;
      if (error instanceof ApiError) {
        for (const e of error.fieldErrors) {
          const name = e.field.replace(/^config_data\./, "");
          if (known.has(name)) form.setError(name, { type: "server", message: e.message });
          else unplaced = true;
        }
      }
      if (unplaced || !(error instanceof ApiError)) setFailure(error);
      else setFailure(null);
    }
  });

  return (
    <>
      <form onSubmit={submit} noValidate className="space-y-4" aria-label={`Parameters of ${strategy}`}>
        <p className="text-sm" data-testid="editor-starts-from">
          Starting from{" "}
          {startedFrom ? (
            <>
              the active version <span className="font-mono">{startedFrom}</span>
            </>
          ) : (
            "no version (none is active here)"
          )}
          .
        </p>
        {activeId !== startedFrom && (
          <Alert tone="warning" data-testid="active-changed">
            The active version in {environment} changed to {activeId ?? "none"} since you opened the editor (it started
            from {startedFrom ?? "no version"}). Saving keeps what you see here; reload to start from the new one.
          </Alert>
        )}
        {catalog.parameters.length === 0 && (
          <Alert tone="info">The catalog defines no parameter for {strategy}; its values are kept as they are.</Alert>
        )}
        {uncatalogued.length > 0 && (
          <Alert tone="info">
            Kept as they are (not in the catalog):{" "}
            {uncatalogued.map((k) => (
              <code key={k} className="mr-1">
                {k}
              </code>
            ))}
          </Alert>
        )}
        <ParameterGroups
          catalog={catalog}
          control={form.control}
          resolved={resolved}
          base={base}
          readOnly={readOnly}
          after={
            !readOnly && (
              <SaveVersionCard
                id="save-title"
                title="Save as a version"
                hint="What changed and why (optional)."
                action="Save version"
                description={description}
                onDescription={setDescription}
                saving={form.formState.isSubmitting}
                invalid={Object.keys(form.formState.errors).length > 0}
                rootError={form.formState.errors.root?.message && String(form.formState.errors.root.message)}
                failure={failure}
              />
            )
          }
        />
      </form>
      {saved && <SaveResult saved={saved} active={active} environment={environment} />}
    </>
  );
}
