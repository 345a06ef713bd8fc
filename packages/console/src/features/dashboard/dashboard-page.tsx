/**
 * @module The dashboard: strategies x environments with the active version and freeze state,
 * pending change requests, workers by status, recent runs; the audit tamper alarm when it rings.
 * Follows the change feed live.
 */
import { PageHeader } from "@/components/page";
import { Loading } from "@/components/states";
import { useChangeRequests } from "../change-requests/change-requests-query";
import { useEnvironments } from "../environments/environments-query";
import { type LiveChange, useLive } from "../live/live-updates";
import { useRuns } from "../runs/runs-query";
import { useStrategies } from "../strategies/strategies-query";
import { useWorkers } from "../workers/workers-query";
import { ActiveVersionsCard } from "./active-versions-card";
import { AuditAlarmBanner } from "./audit-alarm-banner";
import { PendingRequestsCard } from "./pending-requests-card";
import { RECENT_RUNS, RecentRunsCard } from "./recent-runs-card";
import { WorkersSummaryCard } from "./workers-summary-card";

function describeChange(change: LiveChange): string {
  const where = change.environment ? ` in ${change.environment}` : "";
  if (change.kind === "catalog") return "the catalog";
  if (change.kind === "environment_base") return `base values${where}`;
  const what = change.config_id ? `${change.strategy} ${change.config_id}` : (change.strategy ?? "a config");
  return `${what} ${change.kind === "deprecation" ? "deprecated" : "activated"}${where}`;
}

function LastChange() {
  const { last } = useLive();
  if (!last) return null;
  return (
    <span data-testid="last-change">
      Last change: {describeChange(last)} by {last.actor} (event {last.seq})
    </span>
  );
}

/**
 * Whether every card has its first answer. The cards ask for their own data (the answers are shared);
 * the page shows them together, because cards filling one after another push the ones below down
 * (a layout shift on a phone, where they stack).
 */
function useCardsReady(): boolean {
  const queries = [
    useStrategies(),
    useEnvironments(),
    useWorkers(),
    useChangeRequests({ status: "pending" }),
    useRuns({ limit: RECENT_RUNS }),
  ];
  return queries.every((query) => !query.isPending);
}

export function DashboardPage() {
  const ready = useCardsReady();
  return (
    <>
      <PageHeader title="Dashboard" description={<LastChange />} />
      <AuditAlarmBanner />
      {ready ? (
        <div className="grid grid-cols-1 gap-4 xl:grid-cols-3">
          <ActiveVersionsCard className="xl:col-span-2" />
          <WorkersSummaryCard />
          <PendingRequestsCard className="xl:col-span-2" />
          <RecentRunsCard />
        </div>
      ) : (
        <Loading label="Loading the dashboard" />
      )}
    </>
  );
}
