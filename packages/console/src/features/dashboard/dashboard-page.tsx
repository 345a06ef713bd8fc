/**
 * @module The dashboard: strategies x environments with the active version and freeze state,
 * pending change requests, workers by status, recent runs. Follows the change feed live.
 */
import { PageHeader } from "@/components/page";
import { useLive } from "../live/live-updates";
import { ActiveVersionsCard } from "./active-versions-card";
import { PendingRequestsCard } from "./pending-requests-card";
import { RecentRunsCard } from "./recent-runs-card";
import { WorkersSummaryCard } from "./workers-summary-card";

function LastChange() {
  const { last } = useLive();
  if (!last) return null;
  return (
    <span data-testid="last-change">
      Last change: {last.strategy ?? "environment base values"} in {last.environment} (event {last.seq})
    </span>
  );
}

export function DashboardPage() {
  return (
    <>
      <PageHeader title="Dashboard" description={<LastChange />} />
      <div className="grid gap-4 xl:grid-cols-3">
        <ActiveVersionsCard className="xl:col-span-2" />
        <WorkersSummaryCard />
        <PendingRequestsCard className="xl:col-span-2" />
        <RecentRunsCard />
      </div>
    </>
  );
}
