/**
 * @module The catalog's shadow evidence (/catalog?view=shadow), in the environment chosen in the
 * header: per key, what workers would have applied of shadow parameters, on how many workers, over
 * which period, how many mid-trade; keys whose parameter was switched since stay, marked so. The
 * shadow parameters with no evidence yet are named under it.
 */
import { useState } from "react";
import { Field } from "@/components/field";
import { Empty, QueryState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { useEnvironment } from "../environments/environment-context";
import { useCatalog } from "./catalog-query";
import { useShadowEvidence } from "./shadow-evidence-query";
import { ShadowEvidenceTable } from "./shadow-evidence-table";
import { isShadowPeriod, SHADOW_PERIODS, type ShadowPeriod, sinceOf } from "./shadow-period";

export function ShadowEvidencePanel() {
  const { environment } = useEnvironment();
  // The start is fixed when the period is chosen (not on each render: it is part of the query key).
  const [period, setPeriod] = useState<{ name: ShadowPeriod; since: string }>({ name: "all", since: "" });
  const evidence = useShadowEvidence({ environment, since: period.since });
  const catalog = useCatalog();
  const shadowParameters = catalog.data?.items
    .map((i) => i.parameter)
    .filter((p) => p.reload === "shadow")
    .map((p) => p.name);
  return (
    <Card aria-labelledby="shadow-evidence-title">
      <CardHeader>
        <CardTitle id="shadow-evidence-title">Shadow evidence in {environment}</CardTitle>
        <p className="w-full text-xs text-muted-foreground">
          Workers never apply a change of a shadow parameter: at the boundary where a hot parameter would take it, they
          keep the value in use and report that they would have applied it. This is that evidence, for deciding whether
          to switch a parameter to hot. The environment is the one chosen in the header.
        </p>
      </CardHeader>
      <CardContent className="space-y-3">
        <Field label="Period" className="w-52">
          {(control) => (
            <Select
              {...control}
              value={period.name}
              onChange={(e) => {
                const name = e.target.value;
                if (isShadowPeriod(name)) setPeriod({ name, since: sinceOf(name) });
              }}
            >
              {Object.entries(SHADOW_PERIODS).map(([name, p]) => (
                <option key={name} value={name}>
                  {p.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <QueryState query={evidence} loadingLabel="Loading shadow evidence">
          {({ items }) => {
            const withEvidence = new Set(items.map((s) => s.parameter));
            const waiting = shadowParameters?.filter((name) => !withEvidence.has(name));
            return (
              <>
                {items.length === 0 ? (
                  <Empty>
                    <span data-testid="shadow-evidence-empty">No worker has reported a would-apply yet</span>
                    {period.name !== "all" && ` in ${SHADOW_PERIODS[period.name].label}`} in {environment}.
                  </Empty>
                ) : (
                  <ShadowEvidenceTable items={items} label={`Shadow evidence in ${environment}`} />
                )}
                {shadowParameters && waiting && (
                  <p className="text-xs text-muted-foreground" data-testid="shadow-without-evidence">
                    {shadowParameters.length === 0
                      ? "No catalog parameter is shadow now."
                      : waiting.length === 0
                        ? "Every shadow parameter has evidence."
                        : `Shadow parameters with no evidence yet: ${waiting.join(", ")}.`}
                  </p>
                )}
              </>
            );
          }}
        </QueryState>
      </CardContent>
    </Card>
  );
}
