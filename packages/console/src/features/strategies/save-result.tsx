/**
 * @module After saving in the editor: whether a version was created or identical content already
 * existed, its diff against the version active in the environment, and Activate (applied at once,
 * or a change request where approval is needed).
 */
import { type ConfigVersion, type CreateConfigResponse, diffValues } from "@tradai/core";
import { Link } from "react-router";
import { DiffTable } from "@/components/diff-table";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { useCan } from "../session/can";
import { useActivationMutation } from "./activation-mutation";
import { ActivationErrorView, ActivationResultView } from "./activation-outcome";

export function SaveResult({
  saved,
  active,
  environment,
}: {
  saved: CreateConfigResponse;
  active: ConfigVersion | null;
  environment: string;
}) {
  const canActivate = useCan("configs.activate");
  const activation = useActivationMutation();
  const versionLink = `/strategies/${encodeURIComponent(saved.strategy_name)}/versions/${encodeURIComponent(saved.config_id)}`;
  const isActive = active?.config_id === saved.config_id;
  const activate = (freezeOverrideReason?: string) =>
    activation.mutate({
      kind: "activate",
      strategy: saved.strategy_name,
      configId: saved.config_id,
      environment,
      expectedActive: active?.config_id ?? null,
      ...(freezeOverrideReason ? { freezeOverrideReason } : {}),
    });
  return (
    <Card aria-labelledby="save-result-title" data-testid="save-result">
      <CardHeader>
        <CardTitle id="save-result-title">Saved</CardTitle>
      </CardHeader>
      <CardContent className="space-y-3">
        {saved.deduplicated ? (
          <Alert tone="info" data-testid="save-outcome" data-outcome="deduplicated">
            Identical content already exists as version{" "}
            <Link className="font-mono underline" to={versionLink}>
              {saved.config_id}
            </Link>
            ; no new version was created.
          </Alert>
        ) : (
          <Alert tone="success" data-testid="save-outcome" data-outcome="created">
            Created version{" "}
            <Link className="font-mono underline" to={versionLink}>
              {saved.config_id}
            </Link>
            .
          </Alert>
        )}
        <h3 className="text-sm font-semibold">
          Changes against the version active in {environment}
          {active ? (
            <>
              {" "}
              (<span className="font-mono">{active.config_id}</span>)
            </>
          ) : (
            " (none is active)"
          )}
        </h3>
        <DiffTable
          diff={diffValues(active?.config_data ?? {}, saved.config_data)}
          label={`Changes of ${saved.config_id} against the active version`}
        />
        {saved.explicitly_deprecated ? (
          <Alert tone="warning">This content belongs to a deprecated version; it can never be activated again.</Alert>
        ) : isActive ? (
          <Alert tone="info">This version is already active in {environment}.</Alert>
        ) : (
          canActivate &&
          !activation.data && (
            <Button onClick={() => activate()} disabled={activation.isPending}>
              {activation.isPending ? "Activating…" : `Activate in ${environment}`}
            </Button>
          )
        )}
        {activation.data && <ActivationResultView result={activation.data} />}
        {activation.error && (
          <ActivationErrorView error={activation.error} environment={environment} onOverride={(r) => activate(r)} />
        )}
      </CardContent>
    </Card>
  );
}
