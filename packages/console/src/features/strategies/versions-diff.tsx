/** @module The difference between two versions of a strategy (older first). */
import { diffValues } from "@tradai/core";
import { DiffTable } from "@/components/diff-table";
import { ErrorState, Loading } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { useVersionsByIds } from "./versions-query";

export function VersionsDiff({
  strategy,
  a,
  b,
  environment,
}: {
  strategy: string;
  a: string;
  b: string;
  environment: string;
}) {
  const [first, second] = useVersionsByIds(strategy, [a, b], environment);
  const failed = first?.error ?? second?.error;
  const loaded = first?.data && second?.data;
  const [before, after] =
    loaded && first.data.version_number > second.data.version_number
      ? [second.data, first.data]
      : [first?.data, second?.data];
  return (
    <Card aria-labelledby="versions-diff-title" data-testid="versions-diff">
      <CardHeader>
        <CardTitle id="versions-diff-title">
          {before && after ? (
            <>
              Changes from <span className="font-mono">{before.config_id}</span> to{" "}
              <span className="font-mono">{after.config_id}</span>
            </>
          ) : (
            "Comparing versions"
          )}
        </CardTitle>
      </CardHeader>
      <CardContent>
        {failed ? (
          <ErrorState error={failed} />
        ) : before && after ? (
          <DiffTable
            diff={diffValues(before.config_data, after.config_data)}
            label={`Changes from ${before.config_id} to ${after.config_id}`}
          />
        ) : (
          <Loading label="Loading both versions" />
        )}
      </CardContent>
    </Card>
  );
}
