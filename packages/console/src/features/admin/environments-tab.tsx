/** @module Each environment: its policy (admins edit it), its freeze windows (add, remove) and its pending scheduled changes. */
import type { EnvironmentView } from "@tradai/core";
import { Empty, QueryState } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatTime } from "@/lib/format";
import { useEnvironments } from "../environments/environments-query";
import { PendingSchedules } from "../schedules/pending-schedules";
import { useCan } from "../session/can";
import { EnvironmentPolicyForm, EnvironmentPolicySummary } from "./environment-policy-form";
import { useFreezeTransitions } from "./freeze-transitions";
import { FreezeWindowDialog } from "./freeze-window-dialog";
import { FreezeWindowsTable } from "./freeze-windows-table";

function EnvironmentCard({ environment, names }: { environment: EnvironmentView; names: string[] }) {
  const canEditPolicy = useCan("environments.write");
  const canFreeze = useCan("freezes.write");
  const titleId = `environment-${environment.name}-title`;
  const until = environment.freeze_windows
    .filter((w) => w.active_now && w.active_until)
    .map((w) => w.active_until as string)
    .sort()
    .at(-1);
  return (
    <Card aria-labelledby={titleId} data-environment={environment.name}>
      <CardHeader>
        <CardTitle id={titleId} className="flex flex-wrap items-center gap-2">
          {environment.name}
          {environment.is_default && <Badge tone="info">default</Badge>}
          {environment.frozen && (
            <Badge tone="danger" data-testid={`admin-frozen-${environment.name}`}>
              frozen{until ? ` until ${formatTime(until)}` : ""}
            </Badge>
          )}
        </CardTitle>
      </CardHeader>
      <CardContent className="space-y-6">
        <section aria-label={`Policy of ${environment.name}`} className="space-y-2">
          <h3 className="text-sm font-semibold">Policy</h3>
          {canEditPolicy ? (
            <EnvironmentPolicyForm environment={environment} names={names} />
          ) : (
            <EnvironmentPolicySummary environment={environment} />
          )}
        </section>
        <section aria-label={`Freeze windows of ${environment.name}`} className="space-y-2">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h3 className="text-sm font-semibold">Freeze windows</h3>
            {canFreeze && <FreezeWindowDialog environment={environment.name} />}
          </div>
          <FreezeWindowsTable
            environment={environment.name}
            windows={environment.freeze_windows}
            canWrite={canFreeze}
          />
        </section>
        <section aria-label={`Scheduled changes of ${environment.name}`} className="space-y-2">
          <h3 className="text-sm font-semibold">Scheduled changes</h3>
          <PendingSchedules environment={environment.name} />
        </section>
      </CardContent>
    </Card>
  );
}

export function EnvironmentsTab() {
  const environments = useEnvironments();
  useFreezeTransitions(environments.data?.items);
  return (
    <QueryState query={environments} loadingLabel="Loading environments">
      {(data) =>
        data.items.length === 0 ? (
          <Empty>No environments are configured.</Empty>
        ) : (
          <div className="space-y-4">
            {data.items.map((environment) => (
              <EnvironmentCard key={environment.name} environment={environment} names={data.items.map((e) => e.name)} />
            ))}
          </div>
        )
      }
    </QueryState>
  );
}
