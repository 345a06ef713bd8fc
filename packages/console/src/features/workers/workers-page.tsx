/**
 * @module Workers (/workers): who runs which version where, how far behind, what waits for a
 * restart, when each last reported, and its status; then the legacy mirrors (when any is set), the
 * other consumers of the config. Filter by environment (in the URL; default all). Refreshes every
 * 5 s and on every change the feed announces.
 */
import { useSearchParams } from "react-router";
import { Field } from "@/components/field";
import { PageHeader } from "@/components/page";
import { Empty, QueryState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { useEnvironments } from "@/features/environments/environments-query";
import { formatTime } from "@/lib/format";
import { LegacyMirrorsTable } from "./legacy-mirrors-table";
import { WorkerStatusBadge } from "./worker-status-badge";
import { useWorkers } from "./workers-query";
import { WorkersTable } from "./workers-table";

export function WorkersPage() {
  const [search, setSearch] = useSearchParams();
  const environment = search.get("environment") || undefined;
  const environments = useEnvironments();
  const workers = useWorkers(environment);
  const counts = { ok: 0, lagging: 0, refused: 0, stale: 0 };
  for (const w of workers.data?.items ?? []) counts[w.status] += 1;
  const mirrors = workers.data?.legacy_mirrors ?? [];

  return (
    <>
      <PageHeader
        title="Workers"
        description="Paper and live processes subscribed to config changes, as they last reported. Refreshes every 5 s."
      />
      <Card aria-labelledby="workers-list-title">
        <CardHeader className="items-end">
          <div className="min-w-0">
            <CardTitle id="workers-list-title">{environment ? `Workers in ${environment}` : "All workers"}</CardTitle>
            {workers.data && (
              <p className="flex flex-wrap items-center gap-2 pt-1 text-sm" data-testid="workers-counts">
                {(["ok", "lagging", "refused", "stale"] as const).map((s) => (
                  <span key={s} className="flex items-center gap-1">
                    <WorkerStatusBadge status={s} /> {counts[s]}
                  </span>
                ))}
                <span className="text-xs text-muted-foreground">
                  updated {formatTime(new Date(workers.dataUpdatedAt).toISOString())}
                </span>
              </p>
            )}
          </div>
          <Field label="Filter by environment" className="w-48">
            {(control) => (
              <Select
                {...control}
                value={environment ?? ""}
                onChange={(e) => setSearch(e.target.value ? { environment: e.target.value } : {})}
              >
                <option value="">All environments</option>
                {(environments.data?.items ?? []).map((env) => (
                  <option key={env.name} value={env.name}>
                    {env.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </CardHeader>
        <CardContent>
          <QueryState query={workers} loadingLabel="Loading workers">
            {(data) =>
              data.items.length === 0 ? (
                <Empty>
                  {environment ? `No worker has reported in ${environment} yet.` : "No worker has reported yet."}
                </Empty>
              ) : (
                <WorkersTable workers={data.items} />
              )
            }
          </QueryState>
        </CardContent>
      </Card>
      {mirrors.length > 0 && (
        <Card aria-labelledby="legacy-mirrors-title" className="mt-4">
          <CardHeader>
            <CardTitle id="legacy-mirrors-title">Legacy mirror</CardTitle>
            <p className="w-full text-sm text-muted-foreground" data-testid="legacy-mirrors-description">
              The legacy row old workers read at pod start, kept in step with the resolved config (
              <code>tradai import mirror set</code>)
            </p>
          </CardHeader>
          <CardContent>
            <LegacyMirrorsTable mirrors={mirrors} />
          </CardContent>
        </Card>
      )}
    </>
  );
}
