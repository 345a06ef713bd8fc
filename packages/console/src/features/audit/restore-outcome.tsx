/** @module What a restore did: applied (the version now active) or a change request opened (with its link). */
import { Link } from "react-router";
import { Alert } from "@/components/ui/alert";
import { ProposedChange } from "../governance/proposed-change";
import type { RestoreOutcome } from "./audit-restore-mutation";

export function RestoreOutcomeAlert({ outcome }: { outcome: RestoreOutcome }) {
  if (outcome.outcome === "proposed") return <ProposedChange proposal={outcome} data-testid="restore-outcome" />;
  const v = outcome.value;
  return (
    <Alert tone="success" data-testid="restore-outcome" data-outcome="applied">
      <p className="font-medium">
        {v.changed ? "Restored" : "Already active"}: {v.strategy_name}{" "}
        <Link
          className="font-mono underline"
          to={`/strategies/${encodeURIComponent(v.strategy_name)}/versions/${encodeURIComponent(v.config_id)}`}
        >
          {v.config_id}
        </Link>{" "}
        is active in {outcome.environment}.
      </p>
      {v.changed && <p>It replaced {v.previous_config_id ?? "no version (none was active)"}.</p>}
    </Alert>
  );
}
