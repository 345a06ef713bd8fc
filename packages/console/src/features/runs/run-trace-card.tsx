/**
 * @module The five propagation points of config_version_id and parameter_set_hash, and whether they
 * agree. A legacy run was registered, never launched: nothing carried its values, so it has no trace.
 */
import type { RunStatus } from "@tradai/core";
import { Empty, QueryState } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { useRunTrace } from "./run-trace-query";

export function RunTraceCard({ jobId, status, legacy }: { jobId: string; status: RunStatus; legacy: boolean }) {
  return (
    <Card aria-labelledby="trace-title">
      <CardHeader>
        <CardTitle id="trace-title">Propagation trace</CardTitle>
      </CardHeader>
      <CardContent>
        {legacy ? (
          <Empty>
            No trace: a legacy run was registered from the legacy system&apos;s records, not launched by the platform,
            so no launch input, worker or tag ever carried its parameter set.
          </Empty>
        ) : (
          <TracePoints jobId={jobId} status={status} />
        )}
      </CardContent>
    </Card>
  );
}

function TracePoints({ jobId, status }: { jobId: string; status: RunStatus }) {
  const query = useRunTrace(jobId, status);
  return (
    <QueryState query={query} loadingLabel="Loading the trace">
      {(trace) => (
        <>
          <Alert tone={trace.consistent ? "success" : "warning"} className="mb-2" data-testid="trace-verdict">
            {trace.consistent ? "All points agree" : "The points do not all agree"} · expected config version{" "}
            <code>{trace.expected.config_version_id ?? "none"}</code>, parameter set{" "}
            <code className="break-all">{trace.expected.parameter_set_hash}</code>
          </Alert>
          <Table aria-label="Trace points">
            <THead>
              <tr>
                <Th>Point</Th>
                <Th>Agrees</Th>
                <Th>Config version</Th>
                <Th>Parameter set</Th>
                <Th>Source</Th>
              </tr>
            </THead>
            <TBody>
              {trace.points.map((pt) => (
                <Tr key={pt.point} data-point={pt.point}>
                  <Td className="font-mono text-xs">{pt.point}</Td>
                  <Td>
                    <Badge tone={pt.agrees ? "success" : "danger"}>{pt.agrees ? "yes" : "no"}</Badge>
                    {!pt.present && <span className="ml-1 text-xs text-muted-foreground">(absent)</span>}
                  </Td>
                  <Td className="font-mono text-xs">{pt.config_version_id ?? "—"}</Td>
                  <Td className="font-mono text-xs" title={pt.parameter_set_hash ?? undefined}>
                    {pt.parameter_set_hash?.slice(0, 12) ?? "—"}
                  </Td>
                  <Td className="break-all text-xs">
                    {pt.source}
                    {pt.problem && <span className="block text-destructive">{pt.problem}</span>}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </>
      )}
    </QueryState>
  );
}
