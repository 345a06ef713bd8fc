/**
 * @module A parameter's shadow evidence on its page, in the environment chosen in the header: what
 * workers would have applied of it (shown while it is shadow, and after a switch while evidence
 * remains). Switching it to hot is an ordinary catalog change: the button opens the usual editor
 * with hot chosen, and saving it goes through the usual flow (a revision, audited, or a change
 * request when approval is needed).
 */
import type { CatalogParameter } from "@tradai/core";
import { Link } from "react-router";
import { Empty, QueryState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { useEnvironment } from "../environments/environment-context";
import { useShadowEvidence } from "./shadow-evidence-query";
import { ShadowEvidenceTable } from "./shadow-evidence-table";

export function ParameterShadowCard({
  parameter,
  onSwitchToHot,
}: {
  parameter: CatalogParameter;
  /** Opens the editor with hot chosen; absent for readers without catalog.write. */
  onSwitchToHot?: (() => void) | undefined;
}) {
  const { environment } = useEnvironment();
  const evidence = useShadowEvidence({ environment });
  const items = evidence.data?.items.filter((s) => s.parameter === parameter.name) ?? [];
  const shadow = parameter.reload === "shadow";
  // A parameter that never was shadow here has nothing to show.
  if (!shadow && items.length === 0) return null;
  return (
    <Card aria-labelledby="parameter-shadow-title" data-testid="parameter-shadow">
      <CardHeader>
        <CardTitle id="parameter-shadow-title">Shadow evidence in {environment}</CardTitle>
        {shadow && onSwitchToHot && (
          <Button size="sm" variant="outline" onClick={onSwitchToHot}>
            Switch to hot…
          </Button>
        )}
        <p className="w-full text-xs text-muted-foreground">
          {shadow
            ? "Workers never apply a change of this parameter: they keep the value in use and report where they would have applied the new one."
            : "Gathered while this parameter was shadow; workers now apply its changes as its reload class says."}{" "}
          The environment is the one chosen in the header;{" "}
          <Link className="text-primary underline underline-offset-2" to="/catalog?view=shadow">
            every shadow key
          </Link>
          .
        </p>
      </CardHeader>
      <CardContent className="space-y-3">
        <QueryState query={evidence} loadingLabel="Loading shadow evidence">
          {() =>
            items.length === 0 ? (
              <Empty>No worker has reported a would-apply yet.</Empty>
            ) : (
              <ShadowEvidenceTable items={items} label={`Shadow evidence of ${parameter.name} in ${environment}`} />
            )
          }
        </QueryState>
        {shadow && (
          <p className="text-sm" data-testid="switch-to-hot-note">
            Switching it to hot is an ordinary catalog change: edit the definition and set Reload to hot. Saving it
            makes a new catalog revision, recorded in the audit log (or a change request, when the change needs
            approval); from then on workers apply its changes live at their next safe boundary.
          </p>
        )}
      </CardContent>
    </Card>
  );
}
