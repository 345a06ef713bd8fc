/**
 * @module Staged rollouts (/rollouts): the changes scheduled to run later (cancellable), then every
 * rollout, newest first, with its version, state and step; each links to its page. Refreshes every 5 s.
 */
import { Link } from "react-router";
import { PageHeader } from "@/components/page";
import { Empty, QueryState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { PendingSchedules } from "@/features/schedules/pending-schedules";
import { formatTime } from "@/lib/format";
import { RolloutStateBadge } from "./rollout-state-badge";
import { useRollouts } from "./rollouts-query";

export function RolloutsPage() {
  const rollouts = useRollouts();
  return (
    <>
      <PageHeader
        title="Rollouts"
        description="Versions reaching some workers first, step by step, under guards on what the workers report. Start one with tradai rollout start."
      />
      <Card aria-labelledby="scheduled-title" className="mb-4">
        <CardHeader>
          <CardTitle id="scheduled-title">Scheduled changes</CardTitle>
        </CardHeader>
        <CardContent>
          <PendingSchedules />
        </CardContent>
      </Card>
      <Card>
        <CardContent className="pt-4">
          <QueryState query={rollouts} loadingLabel="Loading rollouts">
            {(data) =>
              data.rollouts.length === 0 ? (
                <Empty>No staged rollout yet.</Empty>
              ) : (
                <Table aria-label="Rollouts" data-testid="rollouts-table">
                  <THead>
                    <tr>
                      <Th>Strategy</Th>
                      <Th>Environment</Th>
                      <Th>Version</Th>
                      <Th>State</Th>
                      <Th>Step</Th>
                      <Th>Started</Th>
                    </tr>
                  </THead>
                  <TBody>
                    {data.rollouts.map((r) => (
                      <Tr key={r.id} data-rollout={r.id}>
                        <Td>
                          <Link className="text-blue-800 underline" to={`/rollouts/${r.id}`}>
                            {r.strategy}
                          </Link>
                        </Td>
                        <Td>{r.environment}</Td>
                        <Td className="font-mono text-xs">
                          {r.from_config_id ?? "—"} → {r.config_id}
                        </Td>
                        <Td>
                          <RolloutStateBadge state={r.state} />
                        </Td>
                        <Td>
                          {r.step + 1} of {r.steps.length}
                        </Td>
                        <Td className="whitespace-nowrap">
                          {formatTime(r.created_at)} by {r.created_by}
                        </Td>
                      </Tr>
                    ))}
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
