/**
 * @module "Add freeze window": one-off (start and end, UTC) or recurring (cron, duration, time
 * zone), checked with the matching member of core's createFreezeBody, the server's own schema.
 */
import { type CreateFreezeBody, createFreezeBody } from "@tradai/core";
import { Snowflake } from "lucide-react";
import { useId } from "react";
import { type FieldErrors, type Resolver, useForm } from "react-hook-form";
import { toast } from "sonner";
import { Field } from "@/components/field";
import { FormDialog } from "@/components/form-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useAddFreeze } from "./freeze-add-mutation";

interface FreezeForm {
  kind: "one-off" | "recurring";
  reason: string;
  /** datetime-local values, read as UTC. */
  starts_at: string;
  ends_at: string;
  cron: string;
  duration_minutes: number;
  time_zone: string;
}

const [oneOffBody, recurringBody] = createFreezeBody.options;
const durationRule = recurringBody.shape.duration_seconds;
const DURATION_MESSAGE = `must be a whole number of minutes from ${(durationRule.minValue ?? 60) / 60} to ${(durationRule.maxValue ?? 0) / 60} (${(durationRule.maxValue ?? 0) / 86_400} days)`;

/** "2026-11-24T10:00" (a datetime-local value, meant as UTC) as "2026-11-24T10:00:00Z". */
function utc(local: string): string | undefined {
  if (!local) return undefined;
  return local.length === 16 ? `${local}:00Z` : `${local}Z`;
}

/** A Date as a datetime-local value in UTC, to the minute. */
export function toLocalInput(date: Date): string {
  return date.toISOString().slice(0, 16);
}

function body(values: FreezeForm): unknown {
  if (values.kind === "one-off") {
    return { reason: values.reason, starts_at: utc(values.starts_at), ends_at: utc(values.ends_at) };
  }
  const minutes = values.duration_minutes;
  return {
    reason: values.reason,
    cron: values.cron,
    duration_seconds: Number.isFinite(minutes) ? Math.round(minutes * 60) : undefined,
    time_zone: values.time_zone,
  };
}

const resolver: Resolver<FreezeForm, unknown, CreateFreezeBody> = async (values) => {
  const parsed = (values.kind === "one-off" ? oneOffBody : recurringBody).safeParse(body(values));
  if (parsed.success) return { values: parsed.data, errors: {} };
  const errors: FieldErrors<FreezeForm> = {};
  for (const issue of parsed.error.issues) {
    const path = String(issue.path[0] ?? "reason");
    const field = (path === "duration_seconds" ? "duration_minutes" : path) as keyof FreezeForm;
    if (errors[field]) continue;
    let message = issue.message;
    if (field === "duration_minutes") message = DURATION_MESSAGE;
    else if ((field === "starts_at" || field === "ends_at") && !values[field]) message = "give a date and time (UTC)";
    errors[field] = { type: issue.code, message };
  }
  return { values: {}, errors };
};

const defaults = (): FreezeForm => {
  const now = new Date();
  return {
    kind: "one-off",
    reason: "",
    starts_at: toLocalInput(now),
    ends_at: toLocalInput(new Date(now.getTime() + 3600_000)),
    cron: "0 16 * * 5",
    duration_minutes: 60,
    time_zone: "UTC",
  };
};

export function FreezeWindowDialog({ environment }: { environment: string }) {
  const add = useAddFreeze(environment);
  const form = useForm<FreezeForm, unknown, CreateFreezeBody>({ resolver, defaultValues: defaults() });
  const { errors } = form.formState;
  const kind = form.watch("kind");
  const zonesId = useId();
  return (
    <FormDialog
      trigger={
        <Button size="sm" variant="outline" aria-label={`Add freeze window to ${environment}`}>
          <Snowflake aria-hidden /> Add freeze window
        </Button>
      }
      title={`Add a freeze window to ${environment}`}
      description="While a window is active, any change to what it resolves (activations, approvals, base values, catalog changes) is refused unless an admin overrides it with a reason."
      form={form}
      initial={defaults}
      onSubmit={async (window) => {
        const created = await add.mutateAsync(window);
        toast(created.active_now ? `${environment} is frozen now` : `Freeze window added to ${environment}`);
      }}
      serverFields={["reason", "starts_at", "ends_at", "cron", "time_zone"]}
      submitLabel="Add freeze window"
      pendingLabel="Adding…"
    >
      <fieldset className="space-y-1.5">
        <legend className="text-sm font-medium">Kind</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-1.5">
            <input type="radio" value="one-off" className="size-4 accent-blue-700" {...form.register("kind")} />
            One-off
          </label>
          <label className="flex items-center gap-1.5">
            <input type="radio" value="recurring" className="size-4 accent-blue-700" {...form.register("kind")} />
            Recurring
          </label>
        </div>
      </fieldset>
      <Field label="Reason" error={errors.reason?.message} description="Shown to whoever is refused">
        {(control) => <Input {...control} autoComplete="off" {...form.register("reason")} />}
      </Field>
      {kind === "one-off" ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Starts (UTC)" error={errors.starts_at?.message}>
            {(control) => <Input {...control} type="datetime-local" {...form.register("starts_at")} />}
          </Field>
          <Field label="Ends (UTC)" error={errors.ends_at?.message}>
            {(control) => <Input {...control} type="datetime-local" {...form.register("ends_at")} />}
          </Field>
        </div>
      ) : (
        <>
          <Field
            label="Starts (cron)"
            error={errors.cron?.message}
            description="Five fields: minute hour day-of-month month day-of-week; '0 16 * * 5' is Fridays at 16:00"
          >
            {(control) => <Input {...control} className="font-mono" autoComplete="off" {...form.register("cron")} />}
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Duration (minutes)" error={errors.duration_minutes?.message}>
              {(control) => (
                <Input
                  {...control}
                  type="number"
                  min={1}
                  step={1}
                  {...form.register("duration_minutes", { valueAsNumber: true })}
                />
              )}
            </Field>
            <Field label="Time zone" error={errors.time_zone?.message} description="An IANA name, e.g. Europe/London">
              {(control) => (
                <>
                  <Input {...control} list={zonesId} autoComplete="off" {...form.register("time_zone")} />
                  <datalist id={zonesId}>
                    {["UTC", ...Intl.supportedValuesOf("timeZone")].map((zone) => (
                      <option key={zone} value={zone} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
          </div>
        </>
      )}
    </FormDialog>
  );
}
