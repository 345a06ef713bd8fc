/** @module Catalog revision history (who changed what, when) and the diff of any two revisions. */
import { useState } from "react";
import { Field } from "@/components/field";
import { Empty, QueryState } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { formatAgo, formatTime } from "@/lib/format";
import { type CatalogRevision, useCatalogRevisionDiff, useCatalogRevisions } from "./catalog-revisions-query";
import { RevisionDiff } from "./revision-diff";

interface Pair {
  a?: number;
  b?: number;
}

function DiffCard({
  revisions,
  chosen,
  setChosen,
}: {
  revisions: CatalogRevision[];
  chosen: Pair;
  setChosen: (update: (current: Pair) => Pair) => void;
}) {
  const latest = revisions[0]?.revision ?? 0;
  // Until chosen: the latest revision against the one before it.
  const a = chosen.a ?? Math.max(0, latest - 1);
  const b = chosen.b ?? latest;
  const diff = useCatalogRevisionDiff(a, b);
  const options = [...revisions.map((r) => r.revision), ...(revisions.some((r) => r.revision === 0) ? [] : [0])];
  const pick = (label: string, value: number, set: (n: number) => void) => (
    <Field label={label} className="w-40">
      {(control) => (
        <Select {...control} value={value} onChange={(e) => set(Number(e.target.value))}>
          {options.map((r) => (
            <option key={r} value={r}>
              {r === 0 ? "0 (empty)" : `revision ${r}`}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
  return (
    <Card aria-labelledby="revision-diff-title">
      <CardHeader>
        <CardTitle id="revision-diff-title">
          Diff of revision {a} and {b}
        </CardTitle>
      </CardHeader>
      <CardContent className="space-y-3">
        <div className="flex flex-wrap gap-3">
          {pick("From revision", a, (n) => setChosen((c) => ({ ...c, a: n })))}
          {pick("To revision", b, (n) => setChosen((c) => ({ ...c, b: n })))}
        </div>
        <QueryState query={diff} loadingLabel="Loading the diff">
          {(data) => <RevisionDiff diff={data} />}
        </QueryState>
      </CardContent>
    </Card>
  );
}

export function RevisionsPanel() {
  const revisions = useCatalogRevisions();
  const [chosen, setChosen] = useState<Pair>({});
  return (
    <QueryState query={revisions} loadingLabel="Loading revisions">
      {(data) =>
        data.items.length === 0 ? (
          <Empty>The catalog has no revision yet.</Empty>
        ) : (
          <div className="space-y-4">
            <DiffCard revisions={data.items} chosen={chosen} setChosen={setChosen} />
            <Card aria-labelledby="revisions-title">
              <CardHeader>
                <CardTitle id="revisions-title">Revisions</CardTitle>
              </CardHeader>
              <CardContent>
                <Table aria-label="Catalog revisions">
                  <THead>
                    <tr>
                      <Th>Revision</Th>
                      <Th>When</Th>
                      <Th>By</Th>
                      <Th>Change</Th>
                      <Th>Diff</Th>
                    </tr>
                  </THead>
                  <TBody>
                    {data.items.map((r) => (
                      <Tr key={r.revision} data-revision={r.revision}>
                        <Td className="font-mono text-xs">{r.revision}</Td>
                        <Td className="whitespace-nowrap text-xs">
                          {formatTime(r.created_at)}
                          <span className="block text-muted-foreground">{formatAgo(r.created_at)}</span>
                        </Td>
                        <Td className="text-xs">{r.created_by}</Td>
                        <Td className="min-w-48 break-words text-xs">
                          {r.summary}
                          {r.forced_reason && (
                            <span className="mt-1 block">
                              <Badge tone="danger">forced</Badge> {r.forced_reason}
                            </span>
                          )}
                        </Td>
                        <Td>
                          <Button
                            size="sm"
                            variant="outline"
                            onClick={() => {
                              setChosen(() => ({ a: r.revision - 1, b: r.revision }));
                              document.getElementById("revision-diff-title")?.scrollIntoView();
                            }}
                          >
                            Show<span className="sr-only"> the changes of revision {r.revision}</span>
                          </Button>
                        </Td>
                      </Tr>
                    ))}
                  </TBody>
                </Table>
              </CardContent>
            </Card>
          </div>
        )
      }
    </QueryState>
  );
}
