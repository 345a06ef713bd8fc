/**
 * @module A plan (a dry run, or an import as recorded): its summary, its rows counted by what they
 * become, what becomes active where (and what was, or nothing), keys where the legacy sources
 * disagreed, what in the legacy registry did not add up (config-versions imports), and the rows.
 */
import type { ImportPlan } from "@tradai/core";
import { Link } from "react-router";
import { DetailList, DetailRow } from "@/components/detail-list";
import { ImportInconsistencies } from "./import-inconsistencies";
import { ImportStepsTable } from "./import-steps-table";
import { ACTION_TEXT, countSteps } from "./plan-counts";

function Version({ strategy, id, link }: { strategy: string; id: string; link: boolean }) {
  if (!link) return <span className="font-mono">{id}</span>;
  return (
    <Link
      className="font-mono text-primary underline"
      to={`/strategies/${encodeURIComponent(strategy)}/versions/${encodeURIComponent(id)}`}
    >
      {id}
    </Link>
  );
}

export function ActivationText({
  plan,
  link,
}: {
  plan: Pick<ImportPlan, "activation" | "strategy" | "environment">;
  link: boolean;
}) {
  const { action, config_id: id, previous } = plan.activation;
  const was = previous ? (
    <>
      was <Version strategy={plan.strategy} id={previous} link />
    </>
  ) : (
    "nothing was active there"
  );
  if (action === "none" || !id) {
    return (
      <>
        nothing becomes active in {plan.environment}
        {previous && (
          <>
            ; <Version strategy={plan.strategy} id={previous} link /> stays active there
          </>
        )}
      </>
    );
  }
  if (action === "already_active") {
    return (
      <>
        <Version strategy={plan.strategy} id={id} link={link} /> stays active in {plan.environment} (it is already)
      </>
    );
  }
  return (
    <>
      <Version strategy={plan.strategy} id={id} link={link} /> becomes active in {plan.environment} ({was})
    </>
  );
}

export function ImportPlanView({ plan, applied }: { plan: ImportPlan; applied: boolean }) {
  return (
    <div className="space-y-3">
      <p className="text-sm font-medium" data-testid="import-summary">
        {plan.summary}
      </p>
      <DetailList>
        <DetailRow label="Rows">
          <ul data-testid="import-counts" aria-label="Rows by what they become">
            {countSteps(plan.steps).map(({ action, count }) => (
              <li key={action} data-action={action} data-count={count}>
                {ACTION_TEXT[action].count(count)}
              </li>
            ))}
          </ul>
          <span className="text-xs text-muted-foreground">{plan.steps.length} legacy row(s) in all</span>
        </DetailRow>
        <DetailRow label="Activation">
          <span data-testid="import-activation" data-action={plan.activation.action}>
            <ActivationText plan={plan} link={applied} />
          </span>
        </DetailRow>
        <DetailRow label="Source">{plan.source}</DetailRow>
        <DetailRow label="Superset check">
          {applied ? "passed" : "checked when applied"}: each of the {plan.superset.rows} row(s) kept byte-equal as its
          version, each of the newest row's {plan.superset.keys} key(s) resolved equal
        </DetailRow>
        {plan.disagreements.length > 0 && (
          <DetailRow label="Sources disagree">
            <ul className="list-disc pl-5">
              {plan.disagreements.map((d) => (
                <li key={d.key}>
                  <code>{d.key}</code>: {d.chosen} taken (the old rules served {d.served_by_old_rules})
                </li>
              ))}
            </ul>
          </DetailRow>
        )}
      </DetailList>
      {plan.kind === "config-versions" && <ImportInconsistencies inconsistencies={plan.inconsistencies} />}
      <ImportStepsTable steps={plan.steps} strategy={plan.strategy} kind={plan.kind} linkVersions={applied} />
    </div>
  );
}
