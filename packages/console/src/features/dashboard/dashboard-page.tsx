/**
 * @module The dashboard: strategies x environments with the active version and freeze state,
 * pending change requests, workers by status, recent runs; the audit tamper alarm when it rings.
 * Follows the change feed live.
 */
import { PageHeader } from "@/components/page";
import { type LiveChange, useLive } from "../live/live-updates";
import { ActiveVersionsCard } from "./active-versions-card";
import { AuditAlarmBanner } from "./audit-alarm-banner";
import { PendingRequestsCard } from "./pending-requests-card";
import { RecentRunsCard } from "./recent-runs-card";
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

export function DashboardPage() {
  return (
    <>
      <PageHeader title="Dashboard" description={<LastChange />} />
      <AuditAlarmBanner />
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-3">
        <ActiveVersionsCard className="xl:col-span-2" />
        <WorkersSummaryCard />
        <PendingRequestsCard className="xl:col-span-2" />
        <RecentRunsCard />
      </div>
    </>
  );
}
