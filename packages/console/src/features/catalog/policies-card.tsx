/**
 * @module Each strategy's catalog policy: strict refuses keys the catalog does not describe, open
 * accepts them. Admins change it here (PUT /api/v1/catalog/policies/{strategy}).
 */
import type { CatalogPolicy } from "@tradai/core";
import { useState } from "react";
import { Empty } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { useCan } from "../session/can";
import { CatalogChangeFeedback } from "./catalog-change-feedback";
import { useCatalogChange } from "./catalog-change-flow";
import { useSetPolicy } from "./policy-set-mutation";

function PolicyEditor({ strategy, policy }: { strategy: string; policy: CatalogPolicy }) {
  const [choice, setChoice] = useState<CatalogPolicy>(policy);
  const save = useCatalogChange(useSetPolicy());
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <Select
          aria-label={`Policy of ${strategy}`}
          className="w-28"
          value={choice}
          onChange={(e) => setChoice(e.target.value as CatalogPolicy)}
        >
          <option value="open">open</option>
          <option value="strict">strict</option>
        </Select>
        <Button
          size="sm"
          variant="outline"
          disabled={choice === policy || save.state.pending}
          onClick={() => void save.send({ strategy, policy: choice })}
        >
          {save.state.pending ? "Saving…" : `Set policy of ${strategy}`}
        </Button>
      </div>
      <CatalogChangeFeedback state={save.state} />
    </div>
  );
}

export function PoliciesCard({
  strategies,
  policies,
}: {
  strategies: string[];
  policies: Record<string, CatalogPolicy>;
}) {
  const canWrite = useCan("catalog.write");
  return (
    <Card aria-labelledby="policies-title">
      <CardHeader>
        <CardTitle id="policies-title">Strategy policies</CardTitle>
        <p className="w-full text-xs text-muted-foreground">
          strict: config versions may only hold parameters the catalog describes; open (the default): other keys are
          accepted.
        </p>
      </CardHeader>
      <CardContent>
        {strategies.length === 0 ? (
          <Empty>No strategy is named in the catalog yet.</Empty>
        ) : (
          <Table aria-label="Catalog policy per strategy">
            <THead>
              <tr>
                <Th>Strategy</Th>
                <Th>Policy</Th>
                {canWrite && <Th>Change</Th>}
              </tr>
            </THead>
            <TBody>
              {strategies.map((s) => {
                const policy = policies[s] ?? "open";
                return (
                  <Tr key={s} data-policy-strategy={s}>
                    <Td className="break-all font-medium">{s}</Td>
                    <Td>
                      <Badge tone={policy === "strict" ? "warning" : "neutral"} data-testid={`policy-${s}`}>
                        {policy}
                      </Badge>
                    </Td>
                    {canWrite && (
                      <Td>
                        <PolicyEditor key={policy} strategy={s} policy={policy} />
                      </Td>
                    )}
                  </Tr>
                );
              })}
            </TBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
