/** @module Strategies x environments: the active version of each, and which environments are frozen. */
import { Link } from "react-router";
import { Empty, QueryState } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { useEnvironments } from "../environments/environments-query";
import { useStrategies } from "../strategies/strategies-query";

export function ActiveVersionsCard({ className }: { className?: string }) {
  const strategies = useStrategies();
  const environments = useEnvironments();
  const frozen = new Set(environments.data?.items.filter((e) => e.frozen).map((e) => e.name));
  return (
    <Card className={className} aria-labelledby="active-versions-title">
      <CardHeader>
        <CardTitle id="active-versions-title">Active versions</CardTitle>
      </CardHeader>
      <CardContent>
        <QueryState query={strategies} loadingLabel="Loading strategies">
          {(data) =>
            data.items.length === 0 ? (
              <Empty>No strategy has a config version yet.</Empty>
            ) : (
              <Table aria-label="Active version per strategy and environment" data-testid="active-versions">
                <THead>
                  <tr>
                    <Th>Strategy</Th>
                    {data.environments.map((env) => (
                      <Th key={env}>
                        <span className="flex flex-wrap items-center gap-1">
                          {env}
                          {frozen.has(env) && (
                            <Badge tone="danger" data-testid={`frozen-${env}`}>
                              frozen
                            </Badge>
                          )}
                        </span>
                      </Th>
                    ))}
                  </tr>
                </THead>
                <TBody>
                  {data.items.map((s) => (
                    <Tr key={s.strategy_name} data-strategy={s.strategy_name}>
                      <Td>
                        <Link
                          className="font-medium text-primary underline-offset-2 hover:underline"
                          to={`/strategies/${encodeURIComponent(s.strategy_name)}/versions`}
                        >
                          {s.strategy_name}
                        </Link>
                        <span className="block text-xs text-muted-foreground">{s.version_count} versions</span>
                      </Td>
                      {data.environments.map((env) => (
                        <Td key={env} className="font-mono text-xs" data-environment={env}>
                          {s.active[env] ?? <span className="text-muted-foreground">none</span>}
                        </Td>
                      ))}
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )
          }
        </QueryState>
      </CardContent>
    </Card>
  );
}
