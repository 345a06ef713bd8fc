/**
 * @module The tamper alarm on the dashboard (GET /api/v1/audit/status): nothing while the server's
 * checks of the audit chain hold; a red banner naming the broken entry once one does not.
 */

import { useQuery } from "@tanstack/react-query";
import type { AuditChainStatus } from "@tradai/core";
import { ShieldAlert } from "lucide-react";
import { Link } from "react-router";
import { api } from "@/lib/api";
import { useCan } from "../session/can";

function useAuditAlarm(enabled: boolean) {
  return useQuery({
    queryKey: ["audit", "status"],
    queryFn: () => api<AuditChainStatus>("/api/v1/audit/status"),
    refetchInterval: 15_000,
    enabled,
  });
}

export function AuditAlarmBanner() {
  const canRead = useCan("audit.read");
  const { data } = useAuditAlarm(canRead);
  if (!data || data.ok) return null;
  const broken = data.first_broken;
  return (
    <div
      role="alert"
      data-testid="audit-alarm"
      className="mb-4 flex items-start gap-3 rounded-lg border border-red-400 bg-red-50 px-4 py-3 text-red-950"
    >
      <ShieldAlert aria-hidden className="mt-0.5 size-6 shrink-0 text-red-700" />
      <div className="text-sm">
        <p className="font-semibold">Audit chain broken: the trail may have been tampered with</p>
        <p>
          {broken ? (
            <>
              Entry{" "}
              <Link className="font-semibold underline" to={`/audit/${broken.seq}`}>
                seq {broken.seq}
              </Link>
              : {broken.problem}.{" "}
            </>
          ) : null}
          Found by the server's check at {data.last_check_at ?? "an unknown time"}.{" "}
          <Link className="underline" to="/audit">
            Open the audit trail
          </Link>
        </p>
      </div>
    </div>
  );
}
