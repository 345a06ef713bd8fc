/**
 * @module A staged rollout (/rollouts/:id): its steps (done, in force, to come), each guard as it
 * reads on the workers' latest reports, the workers it assigns with their health figures, and for
 * editors pause, resume and abort (with a reason). Live: refreshed every 3 s.
 */
import { type RolloutStatus, stepWorkers } from "@tradai/core";
import { useState } from "react";
import { useParams } from "react-router";
import { Field } from "@/components/field";
import { PageHeader } from "@/components/page";
import { QueryState } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { ConfirmDialog } from "@/features/admin/confirm-dialog";
import { useCan } from "@/features/session/can";
import { formatTime } from "@/lib/format";
import { RolloutStateBadge } from "./rollout-state-badge";
import { useRollout, useRolloutAction } from "./rollouts-query";

const bake = (seconds: number) =>
  seconds === 0 ? "no bake" : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;

function Steps({ rollout }: { rollout: RolloutStatus }) {
  return (
    <ol className="space-y-1" aria-label="Steps">
      {rollout.steps.map((step, i) => {
        const done = i < rollout.step || rollout.state === "completed";
        const now = i === rollout.step && !done;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a rollout's steps never change; the position is the step
          <li key={i} data-step={i + 1} data-now={now || undefined} className="flex gap-2">
            <Badge tone={done ? "success" : now ? "info" : "neutral"}>{done ? "done" : now ? "now" : "next"}</Badge>
            <span>
              {i + 1}. {stepWorkers(step)}, {bake(step.bake_seconds)}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

function Actions({ rollout }: { rollout: RolloutStatus }) {
  const action = useRolloutAction(rollout.id);
  const [reason, setReason] = useState("");
  if (rollout.state !== "running" && rollout.state !== "paused") return null;
  return (
    <div className="flex flex-wrap gap-2">
      <Button
        variant="outline"
        disabled={action.isPending}
        onClick={() => action.mutate({ verb: rollout.state === "running" ? "pause" : "resume" })}
      >
        {rollout.state === "running" ? "Pause" : "Resume"}
      </Button>
      <ConfirmDialog
        trigger={<Button variant="destructive">Abort rollout</Button>}
        title="Abort this rollout?"
        description={
          <>
            Every worker it assigned runs {rollout.from_config_id ?? "the active version"} again at once.
            <Field label="Why (kept in the audit trail)" className="mt-3">
              {(control) => <Input {...control} value={reason} onChange={(e) => setReason(e.target.value)} />}
            </Field>
          </>
        }
        confirmLabel="Abort"
        onConfirm={() => action.mutateAsync({ verb: "abort", reason })}
      />
    </div>
  );
}

export function RolloutPage() {
  const { id = "" } = useParams();
  const rollout = useRollout(id);
  const mayControl = useCan("rollouts.control");
  return (
    <QueryState query={rollout} loadingLabel="Loading the rollout">
      {(r) => (
        <>
          <PageHeader
            title={`Rollout of ${r.strategy} in ${r.environment}`}
            description={
              <>
                {r.from_config_id ?? "—"} → <span className="font-mono">{r.config_id}</span> ·{" "}
                <RolloutStateBadge state={r.state} /> · started {formatTime(r.created_at)} by {r.created_by}
                {r.change_request_id !== null && ` · approved as change request ${r.change_request_id}`}
              </>
            }
            actions={mayControl && <Actions rollout={r} />}
          />
          {r.end_reason && (
            <p className="mb-4 text-sm" data-testid="end-reason">
              Ended {formatTime(r.ended_at)}: {r.end_reason}
            </p>
          )}
          <div className="mb-4 grid gap-4 md:grid-cols-2">
            <Card aria-labelledby="steps-title">
              <CardHeader>
                <CardTitle id="steps-title">Steps</CardTitle>
              </CardHeader>
              <CardContent>
                <Steps rollout={r} />
                {r.next_at && (
                  <p className="mt-2 text-sm text-muted-foreground">Next step due {formatTime(r.next_at)}.</p>
                )}
              </CardContent>
            </Card>
            <Card aria-labelledby="guards-title">
              <CardHeader>
                <CardTitle id="guards-title">Guards</CardTitle>
              </CardHeader>
              <CardContent>
                {r.guard_readings.length === 0 ? (
                  <p className="text-sm">No guard: only staleness you watch yourself.</p>
                ) : (
                  <ul className="space-y-1" aria-label="Guards">
                    {r.guard_readings.map((g) => (
                      <li key={g.index} data-guard={g.index + 1} className="flex gap-2">
                        <Badge tone={g.holds ? "danger" : "success"}>{g.holds ? "holds" : "ok"}</Badge>
                        <span>{g.summary}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </CardContent>
            </Card>
          </div>
          <Card aria-labelledby="workers-title">
            <CardHeader>
              <CardTitle id="workers-title">Workers</CardTitle>
            </CardHeader>
            <CardContent>
              <Table aria-label="Workers of the rollout" data-testid="rollout-workers">
                <THead>
                  <tr>
                    <Th>Worker</Th>
                    <Th>Assigned</Th>
                    <Th>Runs</Th>
                    <Th>Status</Th>
                    <Th>Health</Th>
                  </tr>
                </THead>
                <TBody>
                  {r.workers.map((w) => (
                    <Tr key={w.worker_id} data-worker={w.worker_id}>
                      <Td>{w.worker_id}</Td>
                      <Td data-cell="assigned">
                        <Badge tone={w.assigned ? "info" : "neutral"}>{w.assigned ? "assigned" : "not yet"}</Badge>
                      </Td>
                      <Td className="font-mono text-xs">{w.applied_config_id ?? "—"}</Td>
                      <Td>{w.status}</Td>
                      <Td className="text-xs" data-cell="health">
                        {Object.entries(w.health)
                          .map(([k, v]) => `${k} ${v}`)
                          .join(" · ") || "—"}
                      </Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            </CardContent>
          </Card>
        </>
      )}
    </QueryState>
  );
}
