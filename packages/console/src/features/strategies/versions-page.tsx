/**
 * @module A strategy's versions (/strategies/:strategy/versions): status in every environment,
 * two picked for a diff (?a=&b=), rollback of the header's environment, and the mark of a version
 * imported from the legacy configuration (its legacy author and time).
 */
import type { ConfigVersion } from "@tradai/core";
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { PageHeader } from "@/components/page";
import { Empty, ErrorState, Loading } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { formatAgo, formatTime } from "@/lib/format";
import { useEnvironment } from "../environments/environment-context";
import { useCan } from "../session/can";
import { ImportedMark } from "./imported-mark";
import { RollbackAction } from "./rollback-dialog";
import { VersionStatusBadge } from "./version-status-badge";
import { VersionsDiff } from "./versions-diff";
import { useVersionsEverywhere } from "./versions-query";

const link = "font-medium text-primary underline-offset-2 hover:underline";

export function VersionsPage() {
  const strategy = useParams().strategy as string;
  const { environment, names } = useEnvironment();
  const [search, setSearch] = useSearchParams();
  const canRollback = useCan("configs.rollback");
  const lists = useVersionsEverywhere(strategy, names);
  const [picked, setPicked] = useState<string[]>(() => [search.get("a"), search.get("b")].filter(Boolean) as string[]);
  const a = search.get("a");
  const b = search.get("b");
  const here = lists[names.indexOf(environment)];
  const failed = lists.find((q) => q.error)?.error;
  const statusIn = new Map<string, Map<string, ConfigVersion>>();
  names.forEach((env, i) => {
    statusIn.set(env, new Map((lists[i]?.data?.items ?? []).map((v) => [v.config_id, v])));
  });
  const activeHere = here?.data?.items.find((v) => v.status === "active")?.config_id;
  const toggle = (id: string) =>
    setPicked((current) => (current.includes(id) ? current.filter((c) => c !== id) : [...current, id].slice(-2)));
  const base = `/strategies/${encodeURIComponent(strategy)}`;

  return (
    <>
      <PageHeader
        title={`Versions of ${strategy}`}
        description={
          <>
            Status in every environment; actions apply to <strong>{environment}</strong>.{" "}
            <Link className={link} to={`${base}/edit`}>
              Parameter editor
            </Link>
          </>
        }
      />
      <div className="space-y-4">
        {canRollback && activeHere && (
          <RollbackAction strategy={strategy} environment={environment} activeId={activeHere} />
        )}
        {a && b && <VersionsDiff strategy={strategy} a={a} b={b} environment={environment} />}
        <Card aria-labelledby="versions-title">
          <CardHeader>
            <CardTitle id="versions-title">Versions</CardTitle>
            <Button
              size="sm"
              variant="outline"
              disabled={picked.length !== 2}
              onClick={() => setSearch({ a: picked[0] as string, b: picked[1] as string })}
            >
              Compare the two picked
            </Button>
          </CardHeader>
          <CardContent>
            {failed ? (
              <ErrorState error={failed} />
            ) : !here?.data ? (
              <Loading label="Loading versions" />
            ) : here.data.items.length === 0 ? (
              <Empty>{strategy} has no version.</Empty>
            ) : (
              <Table aria-label={`Versions of ${strategy}`} data-testid="versions">
                <THead>
                  <tr>
                    <Th>Compare</Th>
                    <Th>Version</Th>
                    <Th>Description</Th>
                    <Th>Created</Th>
                    {names.map((env) => (
                      <Th key={env}>{env}</Th>
                    ))}
                  </tr>
                </THead>
                <TBody>
                  {here.data.items.map((v) => (
                    <Tr key={v.config_id} data-version={v.config_id}>
                      <Td>
                        <input
                          type="checkbox"
                          className="size-4 accent-primary"
                          aria-label={`Pick ${v.config_id} to compare`}
                          checked={picked.includes(v.config_id)}
                          onChange={() => toggle(v.config_id)}
                        />
                      </Td>
                      <Td className="font-mono text-xs">
                        <Link className={link} to={`${base}/versions/${encodeURIComponent(v.config_id)}`}>
                          {v.config_id}
                        </Link>
                        <ImportedMark imported={v.imported} />
                      </Td>
                      <Td className="min-w-40 break-words">{v.description ?? "—"}</Td>
                      <Td className="text-xs">
                        {v.created_by}
                        <span className="block text-muted-foreground" title={formatTime(v.created_at)}>
                          {formatAgo(v.created_at)}
                        </span>
                      </Td>
                      {names.map((env) => {
                        const there = statusIn.get(env)?.get(v.config_id);
                        return (
                          <Td key={env} data-environment={env}>
                            {there ? (
                              <VersionStatusBadge status={there.status} explicit={there.explicitly_deprecated} />
                            ) : (
                              "—"
                            )}
                          </Td>
                        );
                      })}
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
            {here?.data && here.data.total > here.data.items.length && (
              <p className="mt-2 text-xs text-muted-foreground">
                Showing the newest {here.data.items.length} of {here.data.total} versions.
              </p>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
