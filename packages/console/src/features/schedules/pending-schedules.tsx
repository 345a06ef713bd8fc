/**
 * @module An environment's pending scheduled changes (activations, rollbacks, rollouts to run at a
 * time), soonest first, with the time in its own zone and in UTC; editors cancel one with a reason.
 */
import { useState } from "react";
import { Field } from "@/components/field";
import { Empty, QueryState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { ConfirmDialog } from "@/features/admin/confirm-dialog";
import { useCan } from "@/features/session/can";
import { useCancelSchedule, usePendingSchedules } from "./schedules-query";

function CancelButton({ id, summary }: { id: string; summary: string }) {
  const cancel = useCancelSchedule();
  const [reason, setReason] = useState("");
  return (
    <ConfirmDialog
      trigger={<Button variant="outline">Cancel</Button>}
      title="Cancel this scheduled change?"
      description={
        <>
          {summary}
          <Field label="Why (kept in the audit trail)" className="mt-3">
            {(control) => <Input {...control} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
        </>
      }
      confirmLabel="Cancel it"
      onConfirm={() => cancel.mutateAsync({ id, reason })}
    />
  );
}

/** Those of `environment`, or of every environment (with a column naming it). */
export function PendingSchedules({ environment }: { environment?: string }) {
  const schedules = usePendingSchedules(environment);
  const mayCancel = useCan("schedules.write");
  return (
    <QueryState query={schedules} loadingLabel="Loading scheduled changes">
      {(data) =>
        data.items.length === 0 ? (
          <Empty>Nothing is scheduled{environment ? ` in ${environment}` : ""}.</Empty>
        ) : (
          <Table
            aria-label={environment ? `Scheduled changes of ${environment}` : "Scheduled changes"}
            data-testid={`schedules-${environment ?? "all"}`}
          >
            <THead>
              <tr>
                <Th>When</Th>
                {!environment && <Th>Environment</Th>}
                <Th>Change</Th>
                <Th>Scheduled by</Th>
                {mayCancel && <Th>Actions</Th>}
              </tr>
            </THead>
            <TBody>
              {[...data.items].reverse().map((s) => (
                <Tr key={s.id} data-schedule={s.id}>
                  <Td className="whitespace-nowrap">
                    {s.local_time}
                    <span className="block text-xs text-muted-foreground">{s.run_at} UTC</span>
                  </Td>
                  {!environment && <Td>{s.environment}</Td>}
                  <Td>{s.summary}</Td>
                  <Td>{s.created_by}</Td>
                  {mayCancel && (
                    <Td>
                      <CancelButton id={s.id} summary={s.summary} />
                    </Td>
                  )}
                </Tr>
              ))}
            </TBody>
          </Table>
        )
      }
    </QueryState>
  );
}
