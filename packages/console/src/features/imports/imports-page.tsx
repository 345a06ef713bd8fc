/**
 * @module Imports (/imports): the import of the legacy configuration (admins: upload an export,
 * preview, apply) and the imports made (everyone who may read them; admins may undo one).
 */
import { rolesFor } from "@tradai/core";
import { useState } from "react";
import { PageHeader } from "@/components/page";
import { Empty, QueryState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { useCan } from "../session/can";
import { ImportFormCard } from "./import-form";
import type { UndoResult } from "./import-types";
import { useImports } from "./imports-query";
import { ImportsTable } from "./imports-table";
import { UndoOutcome } from "./undo-dialog";

export function ImportsPage() {
  const canWrite = useCan("imports.write");
  const imports = useImports();
  const [undone, setUndone] = useState<UndoResult | null>(null);

  return (
    <>
      <PageHeader
        title="Imports"
        description="The legacy configuration (ftf_config and its history, or the config-versions registry) imported as versions, with its original authors, times and comments."
      />
      <div className="space-y-4">
        {canWrite ? (
          <Card aria-labelledby="import-form-title">
            <CardHeader>
              <CardTitle id="import-form-title">Import the legacy configuration</CardTitle>
            </CardHeader>
            <CardContent>
              <ImportFormCard />
            </CardContent>
          </Card>
        ) : (
          <p className="text-sm text-muted-foreground" data-testid="imports-read-only">
            Only {rolesFor("imports.write")} may import or undo an import.
          </p>
        )}
        <Card aria-labelledby="imports-title">
          <CardHeader>
            <CardTitle id="imports-title">Imports made</CardTitle>
          </CardHeader>
          <CardContent className="space-y-3">
            {undone && <UndoOutcome result={undone} />}
            <QueryState query={imports} loadingLabel="Loading imports">
              {(data) =>
                data.items.length === 0 ? (
                  <Empty>No import yet.</Empty>
                ) : (
                  <ImportsTable items={data.items} canUndo={canWrite} onUndone={setUndone} />
                )
              }
            </QueryState>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
