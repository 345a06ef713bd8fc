/**
 * @module What an applied import did: applied (links to the strategy's versions and to the import),
 * proposed (the change request it became, with its link: nothing is imported until approved), or
 * unchanged (the rows are versions already and the newest is active).
 */
import type { ImportPlan } from "@tradai/core";
import { Link } from "react-router";
import { Alert } from "@/components/ui/alert";
import { ActivationText } from "./import-plan-view";

const link = "font-medium underline";

export function ImportOutcome({ plan }: { plan: ImportPlan }) {
  const versions = `/strategies/${encodeURIComponent(plan.strategy)}/versions`;
  if (plan.outcome === "proposed") {
    return (
      <Alert tone="warning" data-testid="import-outcome" data-outcome="proposed">
        <p className="font-medium">Not imported yet: {plan.environment} requires approval.</p>
        <p>{plan.summary}.</p>
        {plan.change_request_id !== null && (
          <p className="mt-1">
            Nothing is written until the change request is approved.{" "}
            <Link className={link} to={`/change-requests/${plan.change_request_id}`}>
              Open change request #{plan.change_request_id}
            </Link>
          </p>
        )}
      </Alert>
    );
  }
  if (plan.outcome === "unchanged") {
    return (
      <Alert tone="info" data-testid="import-outcome" data-outcome="unchanged">
        <p className="font-medium">Nothing was imported: {plan.summary}.</p>
        <Link className={link} to={versions}>
          Versions of {plan.strategy}
        </Link>
      </Alert>
    );
  }
  return (
    <Alert tone="success" data-testid="import-outcome" data-outcome={plan.outcome}>
      <p className="font-medium">
        Imported: {plan.versions_created} new version(s) of {plan.strategy} from {plan.steps.length} legacy row(s).
      </p>
      <p>
        <ActivationText plan={plan} link />.
      </p>
      <p className="mt-1 flex flex-wrap gap-x-4">
        <Link className={link} to={versions}>
          Versions of {plan.strategy}
        </Link>
        {plan.import_id && (
          <Link className={link} to={`/imports/${encodeURIComponent(plan.import_id)}`}>
            The import
          </Link>
        )}
      </p>
    </Alert>
  );
}
