/** @module The coherence rules (CEL): list; admins add, replace (edit) and remove them. */
import type { CatalogRule } from "@tradai/core";
import { useState } from "react";
import { Empty, QueryState } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { useCan } from "../session/can";
import { CatalogChangeFeedback } from "./catalog-change-feedback";
import { useCatalogChange } from "./catalog-change-flow";
import { useCatalogRules } from "./catalog-rules-query";
import { RuleForm } from "./rule-form";
import { useRemoveRule } from "./rule-remove-mutation";

export function RulesPanel() {
  const rules = useCatalogRules();
  const canWrite = useCan("catalog.write");
  const remove = useCatalogChange(useRemoveRule());
  const [editing, setEditing] = useState<CatalogRule | null>(null);
  return (
    <div className="space-y-4">
      <Card aria-labelledby="rules-title">
        <CardHeader>
          <CardTitle id="rules-title">Coherence rules</CardTitle>
          <p className="w-full text-xs text-muted-foreground">
            A config version that violates a rule is refused with the rule's message.
          </p>
        </CardHeader>
        <CardContent>
          <QueryState query={rules} loadingLabel="Loading rules">
            {(data) =>
              data.items.length === 0 ? (
                <Empty>No coherence rule yet.</Empty>
              ) : (
                <Table aria-label="Coherence rules">
                  <THead>
                    <tr>
                      <Th>Name</Th>
                      <Th>Expression</Th>
                      <Th>Message</Th>
                      <Th>Strategies</Th>
                      {canWrite && <Th>Actions</Th>}
                    </tr>
                  </THead>
                  <TBody>
                    {data.items.map((rule) => (
                      <Tr key={rule.name} data-rule={rule.name}>
                        <Td className="break-all font-mono text-xs font-medium">{rule.name}</Td>
                        <Td className="min-w-48 break-all font-mono text-xs">{rule.expression}</Td>
                        <Td className="min-w-48 text-xs">{rule.message}</Td>
                        <Td className="text-xs">
                          {rule.strategies.length === 0 ? (
                            <Badge>all</Badge>
                          ) : (
                            <span className="flex flex-wrap gap-1">
                              {rule.strategies.map((s) => (
                                <Badge key={s}>{s}</Badge>
                              ))}
                            </span>
                          )}
                        </Td>
                        {canWrite && (
                          <Td>
                            <span className="flex flex-wrap gap-2">
                              <Button size="sm" variant="outline" onClick={() => setEditing(rule)}>
                                Edit<span className="sr-only"> rule {rule.name}</span>
                              </Button>
                              <Button
                                size="sm"
                                variant="destructive"
                                disabled={remove.state.pending}
                                onClick={() => {
                                  if (window.confirm(`Remove the rule ${rule.name}?`))
                                    void remove.send({ name: rule.name });
                                }}
                              >
                                Remove<span className="sr-only"> rule {rule.name}</span>
                              </Button>
                            </span>
                          </Td>
                        )}
                      </Tr>
                    ))}
                  </TBody>
                </Table>
              )
            }
          </QueryState>
          <div className="mt-3 empty:hidden">
            <CatalogChangeFeedback state={remove.state} />
          </div>
        </CardContent>
      </Card>
      {canWrite && (
        <Card aria-labelledby="rule-form-title">
          <CardHeader>
            <CardTitle id="rule-form-title">{editing ? `Edit rule ${editing.name}` : "Add a rule"}</CardTitle>
            {editing && (
              <Button size="sm" variant="ghost" onClick={() => setEditing(null)}>
                Cancel edit
              </Button>
            )}
          </CardHeader>
          <CardContent>
            <RuleForm key={editing?.name ?? "new"} initial={editing ?? undefined} onDone={() => setEditing(null)} />
          </CardContent>
        </Card>
      )}
    </div>
  );
}
