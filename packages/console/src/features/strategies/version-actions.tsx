/** @module What can be done with a version in the header's environment: activate, promote, deprecate. */
import type { ConfigVersion } from "@tradai/core";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { useEnvironments } from "../environments/environments-query";
import { useCan } from "../session/can";
import { type ActivationRequest, targetEnvironment, useActivationMutation } from "./activation-mutation";
import { ActivationErrorView, ActivationResultView } from "./activation-outcome";
import { DeprecateAction } from "./deprecate-dialog";
import { useStrategies } from "./strategies-query";

export function VersionActions({ version, environment }: { version: ConfigVersion; environment: string }) {
  const canActivate = useCan("configs.activate");
  const canPromote = useCan("configs.promote");
  const canDeprecate = useCan("configs.deprecate");
  const environments = useEnvironments();
  const strategies = useStrategies();
  const activation = useActivationMutation();
  const promoteFrom = environments.data?.items.find((e) => e.name === environment)?.promote_from ?? null;
  const active = strategies.data?.items.find((s) => s.strategy_name === version.strategy_name)?.active ?? {};
  const activeHere = active[environment] ?? null;
  const inSource = promoteFrom ? (active[promoteFrom] ?? null) : null;
  const final = version.explicitly_deprecated;
  const lastRequest = activation.variables;

  if (!canActivate && !canPromote && !canDeprecate) return null;
  const send = (request: ActivationRequest) => activation.mutate(request);
  const retryWithOverride =
    lastRequest && lastRequest.kind !== "rollback"
      ? (reason: string) => send({ ...lastRequest, freezeOverrideReason: reason })
      : undefined;

  return (
    <Card aria-labelledby="version-actions-title">
      <CardHeader>
        <CardTitle id="version-actions-title">Actions in {environment}</CardTitle>
      </CardHeader>
      <CardContent className="space-y-3">
        {final && (
          <p className="text-sm text-muted-foreground">Deprecated for good: nothing can be done with it any more.</p>
        )}
        <div className="flex flex-wrap gap-2">
          {canActivate && !final && (
            <Button
              disabled={activation.isPending || activeHere === version.config_id}
              onClick={() =>
                send({
                  kind: "activate",
                  strategy: version.strategy_name,
                  configId: version.config_id,
                  environment,
                  expectedActive: activeHere,
                })
              }
            >
              {activeHere === version.config_id ? `Active in ${environment}` : `Activate in ${environment}`}
            </Button>
          )}
          {canPromote && promoteFrom && !final && (
            <Button
              variant="secondary"
              disabled={activation.isPending || inSource !== version.config_id || activeHere === version.config_id}
              title={
                inSource !== version.config_id
                  ? `Only the version active in ${promoteFrom} (${inSource ?? "none"}) can be promoted`
                  : undefined
              }
              onClick={() =>
                send({
                  kind: "promote",
                  strategy: version.strategy_name,
                  configId: version.config_id,
                  from: promoteFrom,
                  to: environment,
                })
              }
            >
              Promote from {promoteFrom} to {environment}
            </Button>
          )}
          {canDeprecate && (
            <DeprecateAction
              strategy={version.strategy_name}
              configId={version.config_id}
              environment={environment}
              final={final}
            />
          )}
        </div>
        {canPromote && promoteFrom && inSource !== version.config_id && !final && (
          <p className="text-xs text-muted-foreground">
            {environment} is promoted to from {promoteFrom}; only the version active there ({inSource ?? "none"}) can be
            promoted.
          </p>
        )}
        {activation.data && <ActivationResultView result={activation.data} />}
        {activation.error && activation.variables && (
          <ActivationErrorView
            error={activation.error}
            environment={targetEnvironment(activation.variables)}
            onOverride={retryWithOverride}
          />
        )}
      </CardContent>
    </Card>
  );
}
