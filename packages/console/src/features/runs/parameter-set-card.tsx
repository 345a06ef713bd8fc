/**
 * @module The parameter set a run used: every value and which layer gave it. A set of an earlier
 * schema (a legacy run's) is named as such: it kept no catalog metadata and no code version.
 */
import { PARAMETER_SET_SCHEMA } from "@tradai/core";
import { formatValue } from "@/components/diff-table";
import { QueryState } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { formatTime } from "@/lib/format";
import { parameterRows } from "./parameter-rows";
import { useParameterSet } from "./parameter-set-query";
import { isProvenanceLayer, LAYER_MEANINGS, LAYER_TONES } from "./provenance-layer";

export function ParameterSetCard({ hash }: { hash: string }) {
  const query = useParameterSet(hash);
  return (
    <Card aria-labelledby="parameter-set-title">
      <CardHeader>
        <CardTitle id="parameter-set-title">Parameter set</CardTitle>
      </CardHeader>
      <CardContent>
        <QueryState query={query} loadingLabel="Loading the parameter set">
          {({ parameter_set: ps, created_at, run_count }) => (
            <>
              <p className="mb-2 break-all text-xs text-muted-foreground">
                <span className="font-mono">{hash}</span> · created {formatTime(created_at)} · used by {run_count}{" "}
                run(s) · platform {ps.platform_version} · launcher {ps.launcher}
                {ps.catalog_revision !== undefined && ` · catalog revision ${ps.catalog_revision}`}
                {ps.environment_base &&
                  ` · ${ps.environment_base.environment} base revision ${ps.environment_base.revision}`}
              </p>
              {ps.schema !== PARAMETER_SET_SCHEMA && (
                <p className="mb-2 text-xs text-muted-foreground" data-testid="parameter-set-legacy-schema">
                  Legacy schema <span className="font-mono">{ps.schema}</span>: the values as the legacy system kept
                  them, without the catalog&apos;s word on each key or the code version.
                </p>
              )}
              <Table aria-label="Parameters">
                <THead>
                  <tr>
                    <Th>Parameter</Th>
                    <Th>Value</Th>
                    <Th>From</Th>
                  </tr>
                </THead>
                <TBody>
                  {parameterRows(ps).map((row) => (
                    <Tr key={row.path} data-parameter={row.path}>
                      <Td className="font-mono text-xs">{row.path}</Td>
                      <Td className="break-all font-mono text-xs">{formatValue(row.value)}</Td>
                      <Td>
                        {row.provenance ? (
                          <Badge
                            tone={isProvenanceLayer(row.provenance) ? LAYER_TONES[row.provenance] : "neutral"}
                            title={isProvenanceLayer(row.provenance) ? LAYER_MEANINGS[row.provenance] : undefined}
                            data-layer={row.provenance}
                          >
                            {row.provenance}
                          </Badge>
                        ) : (
                          "—"
                        )}
                      </Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            </>
          )}
        </QueryState>
      </CardContent>
    </Card>
  );
}
