/**
 * @module The parameter editor (/strategies/:strategy/edit): the catalog's parameters of the strategy
 * in the header's environment, starting from the active version there; save, diff, activate.
 */
import { useDeferredValue } from "react";
import { Link, useParams } from "react-router";
import { PageHeader } from "@/components/page";
import { ErrorState, Loading } from "@/components/states";
import { useEnvironment } from "../environments/environment-context";
import { useCan } from "../session/can";
import { useStrategyCatalog } from "./catalog-query";
import { EditorForm } from "./editor-form";
import { useEnvironmentBase } from "./environment-base-query";
import { useResolved } from "./resolve-query";
import { useStrategies } from "./strategies-query";
import { useVersion } from "./versions-query";

export function EditorPage() {
  const strategy = useParams().strategy as string;
  const { environment } = useEnvironment();
  const canCreate = useCan("configs.create");
  const strategies = useStrategies();
  const catalog = useStrategyCatalog(strategy);
  const resolved = useResolved(strategy, environment);
  const base = useEnvironmentBase(environment);
  const summary = strategies.data?.items.find((s) => s.strategy_name === strategy);
  const activeId = summary?.active[environment] ?? null;
  const active = useVersion(strategy, activeId ?? "", environment);
  const waiting =
    strategies.isPending || catalog.isPending || resolved.isPending || (activeId !== null && active.isPending);
  const error = strategies.error ?? catalog.error ?? resolved.error ?? (activeId ? active.error : null);
  // The form is the page's heaviest render: deferred, React renders it in slices between which the
  // browser stays responsive, rather than in one long task (a phone's slow CPU: TBT).
  const settled = useDeferredValue(!waiting);

  return (
    <>
      <PageHeader
        title={`Edit ${strategy}`}
        description={
          <>
            In <strong>{environment}</strong>, starting from{" "}
            {activeId ? (
              <>
                the active version <span className="font-mono">{activeId}</span>
              </>
            ) : (
              "no version (none is active here)"
            )}
            .{" "}
            <Link className="text-primary underline" to={`/strategies/${encodeURIComponent(strategy)}/versions`}>
              Versions
            </Link>
          </>
        }
      />
      {waiting || !settled ? (
        <Loading label="Loading the parameters" />
      ) : error ? (
        <ErrorState error={error} />
      ) : catalog.data ? (
        <EditorForm
          key={`${strategy}:${environment}`}
          strategy={strategy}
          environment={environment}
          catalog={catalog.data}
          active={activeId ? (active.data ?? null) : null}
          activeId={activeId}
          resolved={resolved.data ?? null}
          base={base.data}
          readOnly={!canCreate}
        />
      ) : null}
    </>
  );
}
