/**
 * @module One version (/strategies/:strategy/versions/:configId): its config data, description, who
 * and when (and, imported, its legacy author, time and comment), hash, status in every environment,
 * its changes against the active version, and actions.
 */
import { diffValues } from "@tradai/core";
import { Link, useParams } from "react-router";
import { DetailList, DetailRow } from "@/components/detail-list";
import { DiffTable } from "@/components/diff-table";
import { PageHeader } from "@/components/page";
import { QueryState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatAgo, formatTime } from "@/lib/format";
import { useEnvironment } from "../environments/environment-context";
import { ImportedDetails } from "./imported-mark";
import { useStrategies } from "./strategies-query";
import { VersionActions } from "./version-actions";
import { VersionStatusBadge } from "./version-status-badge";
import { useVersion, useVersionsByIds } from "./versions-query";

export function VersionPage() {
  const params = useParams();
  const strategy = params.strategy as string;
  const configId = params.configId as string;
  const { environment, names } = useEnvironment();
  const version = useVersion(strategy, configId, environment);
  const strategies = useStrategies();
  const activeId = strategies.data?.items.find((s) => s.strategy_name === strategy)?.active[environment] ?? null;
  const [active] = useVersionsByIds(strategy, activeId && activeId !== configId ? [activeId] : [], environment);
  const base = `/strategies/${encodeURIComponent(strategy)}`;

  return (
    <>
      <PageHeader
        title={configId}
        description={
          <>
            A version of{" "}
            <Link className="text-primary underline" to={`${base}/versions`}>
              {strategy}
            </Link>
            , seen from <strong>{environment}</strong>.
          </>
        }
      />
      <QueryState query={version} loadingLabel="Loading the version">
        {(v) => (
          <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
            <Card aria-labelledby="version-details-title">
              <CardHeader>
                <CardTitle id="version-details-title">Details</CardTitle>
              </CardHeader>
              <CardContent>
                <DetailList>
                  <DetailRow label={`Status in ${environment}`}>
                    <VersionStatusBadge status={v.status} explicit={v.explicitly_deprecated} />
                    {v.superseded_by && (
                      <span className="ml-2 text-xs">
                        superseded by <span className="font-mono">{v.superseded_by}</span>
                      </span>
                    )}
                  </DetailRow>
                  <DetailRow label="Description">{v.description ?? "—"}</DetailRow>
                  <DetailRow label="Created">
                    {v.created_by}, {formatTime(v.created_at)} ({formatAgo(v.created_at)})
                  </DetailRow>
                  <ImportedDetails imported={v.imported} />
                  <DetailRow label="Content hash">
                    <span className="break-all font-mono text-xs">{v.config_hash}</span>
                  </DetailRow>
                  <DetailRow label="Catalog revision">{v.catalog_revision ?? "none (empty catalog)"}</DetailRow>
                  <DetailRow label={`Active in ${environment} since`}>{formatTime(v.deployed_at)}</DetailRow>
                  {v.deprecated_at && <DetailRow label="Deprecated">{formatTime(v.deprecated_at)}</DetailRow>}
                  {v.purge_after && <DetailRow label="Purged after">{formatTime(v.purge_after)}</DetailRow>}
                  <DetailRow label="Active in">
                    {names
                      .filter(
                        (env) =>
                          strategies.data?.items.find((s) => s.strategy_name === strategy)?.active[env] === configId,
                      )
                      .join(", ") || "no environment"}
                  </DetailRow>
                </DetailList>
              </CardContent>
            </Card>
            <div className="space-y-4">
              <VersionActions version={v} environment={environment} />
              {activeId && activeId !== configId && (
                <Card aria-labelledby="against-active-title">
                  <CardHeader>
                    <CardTitle id="against-active-title">
                      Changes against <span className="font-mono">{activeId}</span> (active in {environment})
                    </CardTitle>
                  </CardHeader>
                  <CardContent>
                    {active?.data ? (
                      <DiffTable
                        diff={diffValues(active.data.config_data, v.config_data)}
                        label="Changes against the active version"
                      />
                    ) : (
                      <span className="text-sm text-muted-foreground">Loading…</span>
                    )}
                  </CardContent>
                </Card>
              )}
            </div>
            <Card aria-labelledby="config-data-title" className="xl:col-span-2">
              <CardHeader>
                <CardTitle id="config-data-title">Config data</CardTitle>
              </CardHeader>
              <CardContent>
                <pre className="overflow-x-auto rounded-md bg-muted p-3 text-xs" data-testid="config-data">
                  {JSON.stringify(v.config_data, null, 2)}
                </pre>
              </CardContent>
            </Card>
          </div>
        )}
      </QueryState>
    </>
  );
}
