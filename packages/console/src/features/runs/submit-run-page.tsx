/**
 * @module Submit a backtest: strategy, config version (or ACTIVE, or none), dates, symbols,
 * timeframe, stake; validated with the server's own schema; server field errors at their field.
 */
import { type SubmitBacktestBody, TIMEFRAMES } from "@tradai/core";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import { Field } from "@/components/field";
import { PageHeader } from "@/components/page";
import { Empty, ErrorState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Input, Select } from "@/components/ui/input";
import { ApiError } from "@/lib/api";
import { useEnvironment } from "../environments/environment-context";
import { useCan } from "../session/can";
import { useStrategies } from "../strategies/strategies-query";
import { useStrategyVersions } from "./strategy-versions-query";
import { formFieldFor, type SubmitRunValues, submitRunResolver } from "./submit-run-form-values";
import { useSubmitRun } from "./submit-run-mutation";

const DEFAULTS: SubmitRunValues = {
  strategy: "",
  config_version_id: "",
  start_date: "2025-01-01",
  end_date: "2025-02-01",
  symbols: "BTC/USDT:USDT",
  timeframe: "",
  stake_amount: "",
  exchange: "binance_futures",
  task_definition: "",
  experiment_name: "",
};

export function SubmitRunPage() {
  const canSubmit = useCan("runs.submit");
  return (
    <>
      <PageHeader
        title="Submit a backtest"
        description="Empty fields are taken from the config version, when one is chosen."
      />
      {canSubmit ? <SubmitRunForm /> : <Empty>Your role may not submit runs.</Empty>}
    </>
  );
}

function SubmitRunForm() {
  const navigate = useNavigate();
  const { environment } = useEnvironment();
  const strategies = useStrategies();
  const submit = useSubmitRun(environment);
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<SubmitRunValues, unknown, SubmitBacktestBody>({
    resolver: submitRunResolver,
    defaultValues: DEFAULTS,
  });
  const { errors, isSubmitting } = form.formState;
  const strategy = form.watch("strategy");
  const versions = useStrategyVersions(strategy.trim(), environment);

  const onSubmit = form.handleSubmit(async (body) => {
    setFailure(null);
    try {
      const accepted = await submit.mutateAsync(body);
      navigate(`/runs/${accepted.job_id}`);
    } catch (error) {
      let unplaced = !(error instanceof ApiError) || error.fieldErrors.length === 0;
      if (error instanceof ApiError) {
        for (const e of error.fieldErrors) {
          const field = formFieldFor(e.field.split("."));
          if (field) form.setError(field, { type: "server", message: e.message });
          else unplaced = true;
        }
      }
      if (unplaced) setFailure(error);
    }
  });

  const reg = (name: keyof SubmitRunValues) => form.register(name);
  return (
    <Card>
      <CardContent className="pt-4">
        <form noValidate onSubmit={onSubmit} aria-label="Submit a backtest" className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Strategy"
            error={errors.strategy?.message}
            description={strategies.error ? "The strategy list could not be loaded; type the name." : undefined}
          >
            {(control) => (
              <>
                <Input {...control} list="strategy-names" autoComplete="off" {...reg("strategy")} />
                <datalist id="strategy-names">
                  {strategies.data?.items.map((s) => (
                    <option key={s.strategy_name} value={s.strategy_name} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <Field
            label="Config version"
            error={errors.config_version_id?.message}
            description={`ACTIVE: the version active in ${environment} when the run is submitted.`}
          >
            {(control) => (
              <Select {...control} {...reg("config_version_id")}>
                <option value="">none (request values only)</option>
                <option value="ACTIVE">ACTIVE</option>
                {versions.data?.items.map((v) => (
                  <option key={v.config_id} value={v.config_id}>
                    {v.config_id} ({v.status}
                    {v.imported ? ", imported" : ""})
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label="Start date" error={errors.start_date?.message}>
            {(control) => <Input {...control} type="date" {...reg("start_date")} />}
          </Field>
          <Field label="End date" error={errors.end_date?.message}>
            {(control) => <Input {...control} type="date" {...reg("end_date")} />}
          </Field>
          <Field label="Symbols" error={errors.symbols?.message} description="Separated by commas or spaces.">
            {(control) => <Input {...control} autoComplete="off" spellCheck={false} {...reg("symbols")} />}
          </Field>
          <Field label="Timeframe" error={errors.timeframe?.message}>
            {(control) => (
              <Select {...control} {...reg("timeframe")}>
                <option value="">from the config version</option>
                {TIMEFRAMES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field
            label="Stake amount"
            error={errors.stake_amount?.message}
            description="Empty: from the config version."
          >
            {(control) => <Input {...control} type="number" step="any" inputMode="decimal" {...reg("stake_amount")} />}
          </Field>
          <Field label="Exchange" error={errors.exchange?.message}>
            {(control) => <Input {...control} autoComplete="off" {...reg("exchange")} />}
          </Field>
          <Field
            label="Task definition"
            error={errors.task_definition?.message}
            description="Optional: which worker image runs it."
          >
            {(control) => <Input {...control} autoComplete="off" {...reg("task_definition")} />}
          </Field>
          <Field label="Experiment" error={errors.experiment_name?.message} description="Optional name to group runs.">
            {(control) => <Input {...control} autoComplete="off" {...reg("experiment_name")} />}
          </Field>
          {errors.root?.message && <ErrorState className="sm:col-span-2" error={new Error(errors.root.message)} />}
          {failure ? <ErrorState className="sm:col-span-2" error={failure} /> : null}
          <div className="sm:col-span-2">
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? "Submitting…" : "Submit backtest"}
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
