/**
 * @module What became of a catalog change, shown where it was made: a change request (not
 * applied: its link, reasons and approvals), a refusal the user can answer (force with a reason;
 * override a freeze, for whom the permission table allows), or the server's problem.
 */
import { GovernedRefusal } from "../governance/governed-refusal";
import { ProposedChange } from "../governance/proposed-change";
import type { CatalogChangeState } from "./catalog-change-flow";
import { ForceChange, isForcible } from "./force-change";

export function CatalogChangeFeedback({ state }: { state: CatalogChangeState }) {
  const { outcome, failure, pending, retry } = state;
  if (outcome?.outcome === "proposed") return <ProposedChange proposal={outcome} data-testid="catalog-change-result" />;
  if (failure === null) return null;
  if (isForcible(failure)) {
    return <ForceChange error={failure} pending={pending} onForce={(forceReason) => retry({ forceReason })} />;
  }
  return (
    <GovernedRefusal
      error={failure}
      environments={null}
      frozenHeadline="Frozen: this catalog change would alter what a frozen environment resolves; nothing was changed."
      onOverride={(freezeOverrideReason) => retry({ freezeOverrideReason })}
      testId="catalog-change-error"
    />
  );
}
