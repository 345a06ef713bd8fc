/**
 * @module The import form (admin): a JSON export of the legacy tables (read in the browser, a bad
 * file named by its table, row and column), the strategy it becomes and the environment where its
 * newest row becomes active; Preview (a dry run: nothing written), then Apply exactly what was
 * previewed. Refusals are shown next to the form, the strategy and environment ones at their fields.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { environmentName, type ImportPlan, type LegacyTables, strategyName } from "@tradai/core";
import { Loader2 } from "lucide-react";
import { type ChangeEvent, useId, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Field } from "@/components/field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { ApiError } from "@/lib/api";
import { placeFieldErrors } from "@/lib/form-errors";
import { useEnvironment } from "../environments/environment-context";
import { useEnvironments } from "../environments/environments-query";
import { useStrategies } from "../strategies/strategies-query";
import { useLegacyImport } from "./import-mutation";
import { ImportOutcome } from "./import-outcome";
import { ImportPlanView } from "./import-plan-view";
import { ImportRefusal } from "./import-refusal";
import type { LegacyImportRequest } from "./import-types";
import { EXPORT_SHAPE_TEXT, LegacyRowsError, readLegacyExport } from "./legacy-file";

const importForm = z.object({ strategy: strategyName, environment: environmentName });
type ImportForm = z.infer<typeof importForm>;
const FORM_FIELDS = ["strategy", "environment"] as const;

/** The file as read: its rows, or why it is not an export (null while none is chosen). */
type FileState =
  | { status: "none" }
  | { status: "reading"; name: string }
  | { status: "read"; name: string; tables: LegacyTables }
  | { status: "bad"; name: string; message: string };

function Progress({ children }: { children: string }) {
  return (
    <p role="status" aria-live="polite" className="flex items-center gap-2 text-sm" data-testid="import-progress">
      <Loader2 aria-hidden className="size-4 animate-spin" />
      {children}
    </p>
  );
}

export function ImportFormCard() {
  const { environment: current, names } = useEnvironment();
  const environments = useEnvironments();
  const strategies = useStrategies();
  const send = useLegacyImport();
  const datalist = useId();
  const [file, setFile] = useState<FileState>({ status: "none" });
  /** Counts the files chosen, so a preview is of this very file. */
  const [fileNo, setFileNo] = useState(0);
  const [preview, setPreview] = useState<{ key: string; request: LegacyImportRequest; plan: ImportPlan } | null>(null);
  const [outcome, setOutcome] = useState<ImportPlan | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<ImportForm>({
    resolver: zodResolver(importForm),
    defaultValues: { strategy: "", environment: current },
  });
  const { errors } = form.formState;
  const [strategy, environment] = form.watch(["strategy", "environment"]);
  const key = `${fileNo}|${strategy}|${environment}`;
  const previewed = preview?.key === key ? preview : null;
  const policy = environments.data?.items.find((e) => e.name === environment);
  const pending = send.isPending ? (send.variables.apply ? "apply" : "preview") : null;

  const chooseFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    setFileNo((n) => n + 1);
    setFailure(null);
    setOutcome(null);
    if (!chosen) return setFile({ status: "none" });
    setFile({ status: "reading", name: chosen.name });
    try {
      setFile({ status: "read", name: chosen.name, tables: await readLegacyExport(chosen) });
    } catch (error) {
      const message =
        error instanceof LegacyRowsError
          ? error.message
          : `${chosen.name} cannot be read: ${(error as Error).message ?? String(error)}`;
      setFile({ status: "bad", name: chosen.name, message });
    }
  };

  const refused = (error: unknown) => {
    const placed =
      error instanceof ApiError &&
      placeFieldErrors(error, form.setError, (e) => FORM_FIELDS.find((f) => e.location === "body" && e.field === f));
    setFailure(placed ? null : error);
  };

  const previewImport = form.handleSubmit(async (values) => {
    if (file.status !== "read") return;
    setFailure(null);
    setOutcome(null);
    const { source, history, current: live } = file.tables;
    const request: LegacyImportRequest = { ...values, source, history, current: live };
    try {
      const plan = await send.mutateAsync({ request, apply: false });
      setPreview({ key, request, plan });
    } catch (error) {
      setPreview(null);
      refused(error);
    }
  });

  const applyImport = async () => {
    if (!previewed) return;
    setFailure(null);
    try {
      setOutcome(await send.mutateAsync({ request: previewed.request, apply: true }));
      setPreview(null);
    } catch (error) {
      refused(error);
    }
  };

  const fileError =
    file.status === "bad"
      ? file.message
      : form.formState.isSubmitted && file.status === "none"
        ? "choose the JSON export of the legacy tables"
        : undefined;
  const rows = file.status === "read" ? file.tables.history.length + (file.tables.current ? 1 : 0) : 0;

  return (
    <div className="space-y-4">
      <form onSubmit={previewImport} noValidate className="space-y-4" aria-label="Import the legacy configuration">
        <div className="grid gap-4 md:grid-cols-3">
          <Field
            label="Legacy export (JSON)"
            description={`The tables as JSON: ${EXPORT_SHAPE_TEXT}.`}
            error={fileError}
            className="md:col-span-3"
          >
            {(control) => (
              <Input
                {...control}
                type="file"
                accept="application/json,.json"
                className="h-auto py-1.5"
                onChange={chooseFile}
              />
            )}
          </Field>
          <Field
            label="Strategy"
            description="The strategy the legacy configuration becomes, e.g. FTF"
            error={errors.strategy?.message}
          >
            {(control) => (
              <>
                <Input {...control} autoComplete="off" list={datalist} {...form.register("strategy")} />
                <datalist id={datalist}>
                  {(strategies.data?.items ?? []).map((s) => (
                    <option key={s.strategy_name} value={s.strategy_name} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <Field
            label="Environment"
            description="Where the newest row becomes the active version"
            error={errors.environment?.message}
          >
            {(control) => (
              <Select {...control} {...form.register("environment")}>
                {names.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        {file.status === "reading" && <Progress>{`Reading ${file.name}…`}</Progress>}
        {file.status === "read" && (
          <p className="text-sm" data-testid="import-file">
            {file.name}: {file.tables.history.length} history row(s)
            {file.tables.current ? " and the live row" : ", no live row"}.
          </p>
        )}
        {policy?.frozen && (
          <Alert tone="danger">{environment} is frozen now: the server will refuse an import there.</Alert>
        )}
        {policy?.requires_approval && !policy.frozen && (
          <Alert tone="warning">
            {environment} requires approval: applying opens a change request, and nothing is imported until someone
            other than you approves it.
          </Alert>
        )}
        <div className="flex flex-wrap items-center gap-2">
          <Button type="submit" variant="outline" disabled={pending !== null || file.status === "reading"}>
            {pending === "preview" ? "Previewing…" : "Preview"}
          </Button>
          <Button onClick={applyImport} disabled={!previewed || pending !== null}>
            {pending === "apply" ? "Applying…" : "Apply the import"}
          </Button>
          {!previewed && !outcome && (
            <span className="text-xs text-muted-foreground">
              Preview first: Apply imports exactly what was previewed.
            </span>
          )}
        </div>
        {pending === "preview" && <Progress>{`Previewing ${rows} legacy row(s)…`}</Progress>}
        {pending === "apply" && <Progress>{`Importing ${rows} legacy row(s)…`}</Progress>}
        {failure !== null && <ImportRefusal error={failure} environment={environment} />}
      </form>
      {outcome && <ImportOutcome plan={outcome} />}
      {previewed && (
        <section aria-labelledby="import-preview-title" data-testid="import-preview" className="space-y-2">
          <h3 id="import-preview-title" className="text-sm font-semibold">
            Preview (nothing written yet)
          </h3>
          <ImportPlanView plan={previewed.plan} applied={false} />
        </section>
      )}
    </div>
  );
}
