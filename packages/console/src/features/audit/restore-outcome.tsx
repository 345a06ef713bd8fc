/** @module What a restore did: applied (the version now active) or a change request opened (with its link). */
import { Link } from "react-router";
import { Alert } from "@/components/ui/alert";
import type { RestoreOutcome } from "./audit-restore-mutation";

export function RestoreOutcomeAlert({ outcome }: { outcome: RestoreOutcome }) {
  if (outcome.kind === "applied") {
    const v = outcome.version;
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
  const cr = outcome.changeRequest;
  const link = (
    <Link className="font-semibold underline" to={`/change-requests/${cr.id}`}>
      change request #{cr.id}
    </Link>
  );
  return (
    <Alert tone="info" data-testid="restore-outcome" data-outcome="change_request">
      <p className="font-medium">
        {outcome.created ? <>Opened {link}</> : <>An identical {link} is already pending</>}: activating{" "}
        {cr.strategy_name} <span className="font-mono">{cr.config_id}</span> in {cr.environment} needs approval.
      </p>
      {cr.reasons.length > 0 && <p>Why: {cr.reasons.join("; ")}.</p>}
      <p>
        {cr.approvals}/{cr.approvals_required} approvals, by someone other than {cr.author}.
      </p>
    </Alert>
  );
}
