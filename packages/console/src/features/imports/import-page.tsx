/**
 * @module One import (/imports/:id): who applied it and when, whether it was undone, what it read
 * (its kind), and its plan as applied: every legacy row and the version it became, reverts included.
 */
import { useState } from "react";
import { Link, useParams } from "react-router";
import { DetailList, DetailRow } from "@/components/detail-list";
import { PageHeader } from "@/components/page";
import { QueryState } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatAgo, formatTime } from "@/lib/format";
import { useCan } from "../session/can";
import { KIND_TEXT } from "./import-kind";
import { ImportPlanView } from "./import-plan-view";
import type { UndoResult } from "./import-types";
import { useImport } from "./imports-query";
import { UndoImportDialog, UndoOutcome } from "./undo-dialog";

export function ImportPage() {
  const id = useParams().id as string;
  const found = useImport(id);
  const canUndo = useCan("imports.write");
  const [undone, setUndone] = useState<UndoResult | null>(null);

  return (
    <>
      <PageHeader
        title={found.data ? `Import into ${found.data.strategy} (${found.data.environment})` : "Import"}
        description={
          <>
            <span className="font-mono">{id}</span> ·{" "}
            <Link className="text-primary underline" to="/imports">
              All imports
            </Link>
          </>
        }
      />
      <QueryState query={found} loadingLabel="Loading the import">
        {(item) => (
          <div className="space-y-4">
            {undone && <UndoOutcome result={undone} />}
            <Card aria-labelledby="import-details-title">
              <CardHeader>
                <CardTitle id="import-details-title">Details</CardTitle>
                {canUndo && !item.undone_at && <UndoImportDialog item={item} onUndone={setUndone} />}
              </CardHeader>
              <CardContent>
                <DetailList>
                  <DetailRow label="Applied">
                    {item.applied_by}, {formatTime(item.applied_at)} ({formatAgo(item.applied_at)})
                  </DetailRow>
                  <DetailRow label="State">
                    {item.undone_at ? (
                      <Badge tone="warning">undone {formatTime(item.undone_at)}</Badge>
                    ) : (
                      <Badge tone="success">applied</Badge>
                    )}
                  </DetailRow>
                  <DetailRow label="Kind">
                    <code>{item.kind}</code>: {KIND_TEXT[item.kind]}
                  </DetailRow>
                  <DetailRow label="Strategy">
                    <Link
                      className="text-primary underline"
                      to={`/strategies/${encodeURIComponent(item.strategy)}/versions`}
                    >
                      {item.strategy}
                    </Link>
                  </DetailRow>
                </DetailList>
              </CardContent>
            </Card>
            <Card aria-labelledby="import-plan-title">
              <CardHeader>
                <CardTitle id="import-plan-title">Rows and versions</CardTitle>
              </CardHeader>
              <CardContent>
                <ImportPlanView plan={item} applied />
              </CardContent>
            </Card>
          </div>
        )}
      </QueryState>
    </>
  );
}
