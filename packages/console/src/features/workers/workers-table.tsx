/**
 * @module Workers as a table, one row per worker and strategy: environment, labels, health
 * figures, status, applied vs active version, last reload, lag, changes waiting (for a restart, or
 * for a moment with no open trade), last heartbeat.
 */
import type { WorkerView } from "@tradai/core";
import { Link } from "react-router";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { formatAgo, formatTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import { WorkerStatusBadge } from "./worker-status-badge";

type StrategyView = WorkerView["strategies"][number];

/**
 * "2 changes, 45 s behind", or "up to date" (from the server's figures: changes to its resolved
 * config). A worker's strategy, or a legacy mirror: both are measured the same way.
 */
export function formatLag(s: Pick<StrategyView, "up_to_date" | "lag_changes" | "lag_seconds"> | undefined): string {
  if (!s) return "—";
  if (s.up_to_date) return "up to date";
  const changes = `${s.lag_changes} change${s.lag_changes === 1 ? "" : "s"}`;
  return `${changes}, ${Math.round(s.lag_seconds)} s behind`;
}

/** Seconds since the heartbeat as the server counted them (its clock, not the browser's). */
export function formatSecondsAgo(seconds: number): string {
  return formatAgo(new Date(Date.now() - seconds * 1000).toISOString());
}

interface ProcessInfo {
  pid?: number;
  host?: string;
  version?: string;
  mode?: "paper" | "live";
  stale?: boolean;
}

/** `strategy:key` entries, one per line, or "—". */
function WaitingKeys({ keys }: { keys: readonly string[] }) {
  if (keys.length === 0) return "—";
  return (
    <ul className="space-y-0.5">
      {keys.map((key) => (
        <li key={key} className="break-all font-mono text-xs">
          {key}
        </li>
      ))}
    </ul>
  );
}

/** "8 s ago" over the absolute UTC time. */
function When({ iso, ago }: { iso: string; ago: string }) {
  return (
    <>
      <span className="block whitespace-nowrap">{ago}</span>
      <time dateTime={iso} className="block whitespace-nowrap text-xs text-muted-foreground">
        {formatTime(iso)}
      </time>
    </>
  );
}

function WorkerCell({ worker }: { worker: WorkerView }) {
  const process = (worker.process ?? {}) as ProcessInfo;
  const where = [process.host, process.pid !== undefined ? `pid ${process.pid}` : undefined, process.version]
    .filter(Boolean)
    .join(" · ");
  return (
    <div className="min-w-0">
      <Link
        to={`/workers/${encodeURIComponent(worker.worker_id)}`}
        className="whitespace-nowrap font-mono text-xs font-medium underline"
      >
        {worker.worker_id}
      </Link>
      <div className="flex flex-wrap gap-1 pt-0.5">
        <Badge tone="info" data-cell="environment" aria-label={`environment ${worker.environment}`}>
          {worker.environment}
        </Badge>
        {process.mode && <Badge tone={process.mode === "live" ? "warning" : "neutral"}>{process.mode}</Badge>}
        {process.stale && <Badge tone="danger">on last-known-good copy</Badge>}
        {Object.entries(worker.labels ?? {}).map(([name, value]) => (
          <Badge key={name} tone="neutral" className="font-mono" data-cell="label">
            {name}={value}
          </Badge>
        ))}
      </div>
      {where && <span className="block whitespace-nowrap text-xs text-muted-foreground">{where}</span>}
      {Object.keys(worker.health ?? {}).length > 0 && (
        <span data-cell="health" className="block text-xs text-muted-foreground">
          {Object.entries(worker.health)
            .map(([name, value]) => `${name} ${value}`)
            .join(" · ")}
        </span>
      )}
    </div>
  );
}

export function WorkersTable({ workers }: { workers: WorkerView[] }) {
  return (
    <Table aria-label="Workers" data-testid="workers-table" className="[&_td]:px-2 [&_th]:px-2">
      <THead>
        <tr>
          <Th>Worker and environment</Th>
          <Th>Status</Th>
          <Th>Last heartbeat</Th>
          <Th>Strategy</Th>
          <Th>Applied vs active version</Th>
          <Th>Lag</Th>
          <Th>Last reload</Th>
          <Th>Restart pending</Th>
          <Th>Waiting for no open trade</Th>
        </tr>
      </THead>
      <TBody>
        {workers.flatMap((w) => {
          const rows: (StrategyView | undefined)[] = w.strategies.length ? w.strategies : [undefined];
          return rows.map((s) => (
            <Tr
              key={`${w.environment}/${w.worker_id}/${s?.strategy ?? ""}`}
              data-worker={w.worker_id}
              data-environment={w.environment}
              data-strategy={s?.strategy}
              data-status={w.status}
            >
              <Td>
                <WorkerCell worker={w} />
              </Td>
              <Td data-cell="status">
                <WorkerStatusBadge status={w.status} />
                {/* strict live mode: what it refuses, and why (it runs its previous config) */}
                {w.refused
                  ?.filter((r) => r.strategy === (s?.strategy ?? r.strategy))
                  .map((r) => (
                    <span key={r.strategy} className="mt-1 block max-w-64 text-xs text-destructive" data-cell="refused">
                      refuses {r.config_version_id ?? "its config"}: {r.reason}
                    </span>
                  ))}
              </Td>
              <Td data-cell="heartbeat">
                <When iso={w.last_heartbeat} ago={formatSecondsAgo(w.seconds_since_heartbeat)} />
              </Td>
              <Td className="whitespace-nowrap">{s?.strategy ?? "—"}</Td>
              <Td className="whitespace-nowrap">
                {s ? (
                  <>
                    <span className="block">
                      <span className="text-xs text-muted-foreground">applied </span>
                      <span className="font-mono text-xs" data-cell="applied">
                        {s.applied_config_id ?? "none"}
                      </span>
                    </span>
                    <span className="block">
                      <span className="text-xs text-muted-foreground">active </span>
                      <span className="font-mono text-xs" data-cell="active">
                        {s.active_config_id ?? "none"}
                      </span>
                    </span>
                  </>
                ) : (
                  "—"
                )}
              </Td>
              <Td data-cell="lag" className={cn("min-w-28", s && !s.up_to_date && "font-semibold text-amber-900")}>
                {formatLag(s)}
              </Td>
              <Td data-cell="reload">{s ? <When iso={s.applied_at} ago={formatAgo(s.applied_at)} /> : "—"}</Td>
              <Td data-cell="restart-pending">
                <WaitingKeys keys={w.pending_restart} />
              </Td>
              <Td data-cell="between-trades-pending">
                <WaitingKeys keys={w.pending_between_trades} />
              </Td>
            </Tr>
          ));
        })}
      </TBody>
    </Table>
  );
}
