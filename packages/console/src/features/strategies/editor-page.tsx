/**
 * @module The parameter editor (/strategies/:strategy/edit): the catalog's parameters of the strategy
 * in the header's environment, starting from the active version there; save, diff, activate.
 */
import { lazy, Suspense, useDeferredValue } from "react";
import { Link, useParams } from "react-router";
import { PageHeader } from "@/components/page";
import { ErrorState, Loading } from "@/components/states";
import { useEnvironment } from "../environments/environment-context";
import { useCan } from "../session/can";
import { useStrategyCatalog } from "./catalog-query";
import { useEnvironmentBase } from "./environment-base-query";
import { useResolved } from "./resolve-query";
import { useActiveVersion } from "./versions-query";

// The form's code (its form library, the catalog's checks, the inputs) is most of the page's: its own
// chunk, asked for as soon as this page's arrives, so the header shows without waiting for it and
// the form's code arrives alongside the data.
const loadForm = () => import("./editor-form");
const EditorForm = lazy(async () => ({ default: (await loadForm()).EditorForm }));
void loadForm();

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
            The catalog&apos;s parameters of {strategy} in <strong>{environment}</strong>: each with its bounds, what it
            resolves to now and which layer gives it. A save makes a new version; nothing changes until it is activated.{" "}
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
        <Suspense fallback={<Loading label="Loading the parameters" />}>
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
        </Suspense>
      ) : null}
    </>
  );
}
