/** @module Strategies (/strategies): each strategy with its active version per environment, and links. */
import { Plus } from "lucide-react";
import { Link } from "react-router";
import { PageHeader } from "@/components/page";
import { Empty, QueryState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { useCan } from "../session/can";
import { useStrategies } from "./strategies-query";

const link = "font-medium text-primary underline-offset-2 hover:underline";

export function StrategiesPage() {
  const strategies = useStrategies();
  const canEdit = useCan("configs.create");
  return (
    <>
      <PageHeader
        title="Strategies"
        description="Each strategy's active version in every environment."
        actions={
          canEdit && (
            <Button asChild>
              <Link to="/strategies/new">
                <Plus aria-hidden />
                New strategy
              </Link>
            </Button>
          )
        }
      />
      <Card>
        <CardContent className="pt-4">
          <QueryState query={strategies} loadingLabel="Loading strategies">
            {(data) =>
              data.items.length === 0 ? (
                <Empty>No strategy has a config version yet{canEdit ? ": start one with New strategy." : "."}</Empty>
              ) : (
                <Table aria-label="Strategies with their active version per environment" data-testid="strategies">
                  <THead>
                    <tr>
                      <Th>Strategy</Th>
                      {data.environments.map((env) => (
                        <Th key={env}>{env}</Th>
                      ))}
                      <Th>Versions</Th>
                      <Th>
                        <span className="sr-only">Actions</span>
                      </Th>
                    </tr>
                  </THead>
                  <TBody>
                    {data.items.map((s) => {
                      const base = `/strategies/${encodeURIComponent(s.strategy_name)}`;
                      return (
                        <Tr key={s.strategy_name} data-strategy={s.strategy_name}>
                          <Td className="break-all font-medium">{s.strategy_name}</Td>
                          {data.environments.map((env) => {
                            const active = s.active[env];
                            return (
                              <Td key={env} className="font-mono text-xs" data-environment={env}>
                                {active ? (
                                  <Link className={link} to={`${base}/versions/${encodeURIComponent(active)}`}>
                                    {active}
                                  </Link>
                                ) : (
                                  <span className="text-muted-foreground">none</span>
                                )}
                              </Td>
                            );
                          })}
                          <Td>
                            {s.version_count}{" "}
                            <span className="text-xs text-muted-foreground">
                              (latest <span className="font-mono">{s.latest_config_id}</span>)
                            </span>
                          </Td>
                          <Td>
                            <span className="flex flex-wrap gap-3">
                              <Link className={link} to={`${base}/edit`} aria-label={`Edit ${s.strategy_name}`}>
                                {canEdit ? "Edit" : "Parameters"}
                              </Link>
                              <Link
                                className={link}
                                to={`${base}/versions`}
                                aria-label={`Versions of ${s.strategy_name}`}
                              >
                                Versions
                              </Link>
                            </span>
                          </Td>
                        </Tr>
                      );
                    })}
                  </TBody>
                </Table>
              )
            }
          </QueryState>
        </CardContent>
      </Card>
    </>
  );
}
