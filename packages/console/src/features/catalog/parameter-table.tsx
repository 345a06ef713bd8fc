/** @module The catalog's parameters, one table per group: type, default, bounds or allowed values, unit, flags. */
import type { CatalogParameter } from "@tradai/core";
import { Link } from "react-router";
import { ParameterBadges } from "@/components/parameter-badges";
import { Empty } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import type { CatalogItem } from "./catalog-query";
import { boundsText, defaultText } from "./parameter-format";

function groupsOf(items: CatalogItem[]): [string, CatalogParameter[]][] {
  const groups = new Map<string, CatalogParameter[]>();
  for (const { parameter } of items) groups.set(parameter.group, [...(groups.get(parameter.group) ?? []), parameter]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
}

export function ParameterTable({ items }: { items: CatalogItem[] }) {
  if (items.length === 0) return <Empty>No parameter matches these filters.</Empty>;
  return (
    <div className="space-y-4">
      {groupsOf(items).map(([group, parameters]) => (
        <Card key={group} aria-labelledby={`group-${group}`} data-group={group}>
          <CardHeader>
            <CardTitle id={`group-${group}`}>
              {group} <span className="text-sm font-normal text-muted-foreground">({parameters.length})</span>
            </CardTitle>
          </CardHeader>
          <CardContent>
            <Table aria-label={`Parameters of group ${group}`}>
              <THead>
                <tr>
                  <Th>Name</Th>
                  <Th>Type</Th>
                  <Th>Default</Th>
                  <Th>Bounds / allowed</Th>
                  <Th>Unit</Th>
                  <Th>Flags</Th>
                </tr>
              </THead>
              <TBody>
                {parameters.map((p) => (
                  <Tr key={p.name} data-parameter-row={p.name}>
                    <Td className="min-w-48">
                      <Link
                        className="break-all font-mono text-xs font-medium text-primary underline-offset-2 hover:underline"
                        to={`/catalog/parameters/${encodeURIComponent(p.name)}`}
                      >
                        {p.name}
                      </Link>
                      <span className="block text-xs text-muted-foreground">{p.description}</span>
                    </Td>
                    <Td className="font-mono text-xs">{p.type}</Td>
                    <Td className="break-all font-mono text-xs" data-cell="default">
                      {defaultText(p)}
                    </Td>
                    <Td className="min-w-32 break-words text-xs" data-cell="bounds">
                      {boundsText(p)}
                    </Td>
                    <Td className="text-xs">{p.unit ?? "—"}</Td>
                    <Td className="min-w-40">
                      <ParameterBadges parameter={p} />
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          </CardContent>
        </Card>
      ))}
    </div>
  );
}
