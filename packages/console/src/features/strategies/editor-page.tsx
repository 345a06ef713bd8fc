/**
 * @module The parameter editor (/strategies/:strategy/edit): the catalog's parameters of the strategy
 * in the header's environment, starting from the active version there; save, diff, activate.
 */
import { useDeferredValue } from "react";
import { Link, useParams } from "react-router";
import type { PrefetchPage } from "@/app/lazy-page";
import { PageHeader } from "@/components/page";
import { ErrorState, Loading } from "@/components/states";
import { useEnvironment } from "../environments/environment-context";
import { useCan } from "../session/can";
import { strategyCatalogQuery, useStrategyCatalog } from "./catalog-query";
import { EditorForm } from "./editor-form";
import { environmentBaseQuery, useEnvironmentBase } from "./environment-base-query";
import { resolvedQuery, useResolved } from "./resolve-query";
import { activeVersionQuery, useActiveVersion } from "./versions-query";

/** The console's first load asks for the editor's data alongside the session (see PrefetchPage). */
export const prefetch: PrefetchPage = (client, { params, inEnvironment }) => {
  const strategy = params.strategy;
  if (!strategy) return;
  void client.prefetchQuery(strategyCatalogQuery(strategy));
  inEnvironment((environment) => {
    void client.prefetchQuery(activeVersionQuery(strategy, environment));
    void client.prefetchQuery(resolvedQuery(strategy, environment));
    void client.prefetchQuery(environmentBaseQuery(environment));
  });
};

export function EditorPage() {
  const strategy = useParams().strategy as string;
  const { environment } = useEnvironment();
  const canCreate = useCan("configs.create");
  const catalog = useStrategyCatalog(strategy);
  const resolved = useResolved(strategy, environment);
  const base = useEnvironmentBase(environment);
  // Follows the change feed: another activation while the form is open shows a warning there.
  const active = useActiveVersion(strategy, environment);
  const activeId = active.data?.config_id ?? null;
  const waiting = catalog.isPending || resolved.isPending || active.isPending;
  const error = catalog.error ?? resolved.error ?? active.error;
  // The form is the page's heaviest render: deferred, React renders it in slices between which the
  // browser stays responsive, rather than in one long task (a phone's slow CPU: TBT). Also when the
  // data is there at the first render (prefetched): `false` first, the form in the background.
  const settled = useDeferredValue(!waiting, false);

  return (
    <>
      <PageHeader
        title={`Edit ${strategy}`}
        description={
          <>
            In <strong>{environment}</strong>, starting from{" "}
            {active.isPending ? (
              "the version active there"
            ) : activeId ? (
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
          active={active.data ?? null}
          activeId={activeId}
          resolved={resolved.data ?? null}
          base={base.data}
          readOnly={!canCreate}
        />
      ) : null}
    </>
  );
}
