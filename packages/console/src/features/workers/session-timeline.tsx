/**
 * @module A session's applied history as a timeline, newest first: when each configuration was
 * applied, where (start, a named safe point), how long after its change, its version, hash and
 * parameter set, what waited (for a restart, or for a moment with no open trade), and which shadow
 * keys kept their value (workers never apply those).
 */
import type { SessionDetail } from "@tradai/core";
import { Link } from "react-router";
import { Badge } from "@/components/ui/badge";
import { formatTime } from "@/lib/format";

export function SessionTimeline({ session }: { session: SessionDetail }) {
  const entries = [...session.history].reverse();
  return (
    <ol aria-label="Applied history" data-testid="session-timeline" className="relative space-y-3 border-l pl-4">
      {entries.map((h) => (
        <li key={h.seq} data-seq={h.seq} className="relative">
          <span
            aria-hidden
            className="absolute -left-[1.36rem] top-1.5 h-2.5 w-2.5 rounded-full border bg-background"
          />
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm">
            <time dateTime={h.applied_at} className="font-mono text-xs">
              {formatTime(h.applied_at)}
            </time>
            <span className="font-medium">
              #{h.seq}{" "}
              {h.config_version_id ? (
                <Link
                  className="font-mono underline"
                  to={`/strategies/${encodeURIComponent(session.strategy)}/versions/${h.config_version_id}`}
                >
                  {h.config_version_id}
                </Link>
              ) : (
                "no version"
              )}
            </span>
            <Badge tone="neutral">{h.boundary}</Badge>
            {h.latency_ms !== null && (
              <span className="text-xs text-muted-foreground">{Math.round(h.latency_ms)} ms after its change</span>
            )}
          </div>
          <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-xs text-muted-foreground">
            <dt>resolved hash</dt>
            <dd className="break-all font-mono" data-cell="resolved-hash">
              {h.resolved_hash}
            </dd>
            <dt>parameter set</dt>
            <dd className="break-all font-mono" data-cell="parameter-set">
              {h.parameter_set_hash}
            </dd>
            {h.pending_restart.length > 0 && (
              <>
                <dt>waiting for a restart</dt>
                <dd className="font-mono" data-cell="restart-pending">
                  {h.pending_restart.join(", ")}
                </dd>
              </>
            )}
            {h.pending_between_trades.length > 0 && (
              <>
                <dt>waiting for no open trade</dt>
                <dd className="font-mono" data-cell="between-trades-pending">
                  {h.pending_between_trades.join(", ")}
                </dd>
              </>
            )}
            {h.held_shadow.length > 0 && (
              <>
                <dt>shadow, never applied</dt>
                <dd className="font-mono" data-cell="shadow-held">
                  {h.held_shadow.join(", ")}
                </dd>
              </>
            )}
          </dl>
        </li>
      ))}
    </ol>
  );
}
