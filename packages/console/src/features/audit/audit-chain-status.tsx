/** @module The hash chain's verification (GET /api/v1/audit/verify): intact, or the first broken entry and why. */
import { ShieldAlert, ShieldCheck } from "lucide-react";
import { Link } from "react-router";
import { ErrorState, Loading } from "@/components/states";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { useAuditVerification } from "./audit-queries";

export function AuditChainStatus({ className }: { className?: string }) {
  const verification = useAuditVerification();
  const recheck = (
    <Button
      size="sm"
      variant="outline"
      onClick={() => void verification.refetch()}
      disabled={verification.isFetching}
      className="shrink-0"
    >
      {verification.isFetching ? "Verifying…" : "Verify again"}
    </Button>
  );
  if (verification.isPending) return <Loading label="Verifying the audit chain" />;
  if (verification.error) return <ErrorState error={verification.error} className={className} />;
  const v = verification.data;
  return (
    <section
      aria-labelledby="chain-status-title"
      data-testid="chain-status"
      data-ok={v.ok}
      className={cn(
        "flex flex-wrap items-start gap-3 rounded-lg border px-4 py-3",
        v.ok ? "border-green-300 bg-green-50 text-green-950" : "border-red-400 bg-red-50 text-red-950",
        className,
      )}
    >
      {v.ok ? (
        <ShieldCheck aria-hidden className="mt-0.5 size-6 shrink-0 text-green-700" />
      ) : (
        <ShieldAlert aria-hidden className="mt-0.5 size-6 shrink-0 text-red-700" />
      )}
      <div className="min-w-0 flex-1">
        <h2 id="chain-status-title" className="font-semibold">
          {v.ok ? "Audit chain intact" : "Audit chain broken"}
        </h2>
        {v.ok ? (
          <p className="text-sm" data-testid="chain-summary">
            {v.entries_checked} entries checked, head seq {v.head_seq}: every hash and link holds.
          </p>
        ) : (
          <p className="text-sm" data-testid="chain-summary">
            {v.first_broken ? (
              <>
                First broken entry:{" "}
                <Link className="font-semibold underline" to={`/audit/${v.first_broken.seq}`}>
                  seq {v.first_broken.seq}
                </Link>
                : {v.first_broken.problem}.{" "}
              </>
            ) : null}
            {v.entries_checked} entries held before it; head seq {v.head_seq}. The trail may have been tampered with.
          </p>
        )}
      </div>
      {recheck}
    </section>
  );
}
