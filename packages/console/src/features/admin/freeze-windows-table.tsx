/** @module An environment's freeze windows: when, whether active now and until when, and removing one. */
import type { FreezeWindow } from "@tradai/core";
import { toast } from "sonner";
import { Empty } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { formatTime } from "@/lib/format";
import { ConfirmDialog } from "./confirm-dialog";
import { useRemoveFreeze } from "./freeze-remove-mutation";
import { formatDuration, When } from "./when";

function Timing({ window }: { window: FreezeWindow }) {
  if (window.kind === "one-off") {
    return (
      <span className="block">
        <span className="block whitespace-nowrap">from {formatTime(window.starts_at)}</span>
        <span className="block whitespace-nowrap">to {formatTime(window.ends_at)}</span>
      </span>
    );
  }
  return (
    <span className="block">
      <code className="font-mono text-xs">{window.cron}</code>
      <span className="block text-xs">
        for {formatDuration(window.duration_seconds ?? 0)}, {window.time_zone ?? "UTC"}
      </span>
    </span>
  );
}

function RemoveButton({ window, canWrite }: { window: FreezeWindow; canWrite: boolean }) {
  const remove = useRemoveFreeze(window.environment);
  if (!canWrite) return null;
  return (
    <ConfirmDialog
      trigger={
        <Button size="sm" variant="outline" aria-label={`Remove freeze window "${window.reason}"`}>
          Remove
        </Button>
      }
      title={`Remove the freeze window "${window.reason}" of ${window.environment}?`}
      description={
        window.active_now
          ? `It is active now: ${window.environment} is unfrozen at once (unless another window covers it). The audit trail keeps it.`
          : "The audit trail keeps it."
      }
      confirmLabel="Remove"
      onConfirm={async () => {
        await remove.mutateAsync(window.id);
        toast(`Freeze window "${window.reason}" removed from ${window.environment}`);
      }}
    />
  );
}

export function FreezeWindowsTable({
  environment,
  windows,
  canWrite,
}: {
  environment: string;
  windows: FreezeWindow[];
  canWrite: boolean;
}) {
  if (windows.length === 0) return <Empty>No freeze windows: {environment} is never frozen.</Empty>;
  return (
    <Table aria-label={`Freeze windows of ${environment}`} data-testid={`freeze-windows-${environment}`}>
      <THead>
        <tr>
          <Th>Reason</Th>
          <Th>When</Th>
          <Th>Now</Th>
          <Th>Added</Th>
          {canWrite && (
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          )}
        </tr>
      </THead>
      <TBody>
        {windows.map((window) => (
          <Tr key={window.id} data-freeze={window.id}>
            <Td className="min-w-40 break-words">
              {window.reason}
              <span className="block text-xs text-muted-foreground">{window.kind}</span>
            </Td>
            <Td>
              <Timing window={window} />
            </Td>
            <Td data-column="active">
              {window.active_now ? (
                <>
                  <Badge tone="danger">active</Badge>
                  <span className="block whitespace-nowrap text-xs">until {formatTime(window.active_until)}</span>
                </>
              ) : (
                <Badge className="whitespace-nowrap">not active</Badge>
              )}
            </Td>
            <Td>
              <When iso={window.created_at} />
              <span className="block text-xs text-muted-foreground">by {window.created_by}</span>
            </Td>
            {canWrite && (
              <Td>
                <RemoveButton window={window} canWrite={canWrite} />
              </Td>
            )}
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
