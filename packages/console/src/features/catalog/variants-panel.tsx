/** @module The variants grid: pick parameters that have variants, see every combination an experiment sweep would try. */
import { useState } from "react";
import { formatValue } from "@/components/diff-table";
import { Empty, QueryState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { useCatalog } from "./catalog-query";
import { useVariantGrid } from "./variant-grid-query";

function Grid({ parameters }: { parameters: string[] }) {
  const grid = useVariantGrid(parameters);
  if (parameters.length === 0) return <Empty>Pick one or more parameters to see their grid.</Empty>;
  return (
    <QueryState query={grid} loadingLabel="Loading the grid">
      {(data) => (
        <div className="space-y-2">
          <p className="text-sm" data-testid="grid-size">
            {data.size} combinations at catalog revision {data.revision}
          </p>
          <Table aria-label="Variants grid">
            <THead>
              <tr>
                <Th>#</Th>
                {data.parameters.map((p) => (
                  <Th key={p} className="font-mono text-xs">
                    {p}
                  </Th>
                ))}
              </tr>
            </THead>
            <TBody>
              {data.combinations.map((combo, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a combination's place in the grid is its identity
                <Tr key={i}>
                  <Td className="text-xs text-muted-foreground">{i + 1}</Td>
                  {data.parameters.map((p) => (
                    <Td key={p} className="font-mono text-xs">
                      {formatValue(combo[p])}
                    </Td>
                  ))}
                </Tr>
              ))}
            </TBody>
          </Table>
        </div>
      )}
    </QueryState>
  );
}

export function VariantsPanel() {
  const catalog = useCatalog({ deprecated: "false" });
  const [picked, setPicked] = useState<string[]>([]);
  const toggle = (name: string, on: boolean) =>
    setPicked((current) => (on ? [...current, name] : current.filter((n) => n !== name)));
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <Card aria-labelledby="variant-parameters-title">
        <CardHeader>
          <CardTitle id="variant-parameters-title">Parameters with variants</CardTitle>
        </CardHeader>
        <CardContent>
          <QueryState query={catalog} loadingLabel="Loading parameters">
            {(data) => {
              const withVariants = data.items.map((i) => i.parameter).filter((p) => (p.variants?.length ?? 0) > 0);
              if (withVariants.length === 0) return <Empty>No parameter has variants.</Empty>;
              return (
                <fieldset className="space-y-2">
                  <legend className="sr-only">Parameters in the grid</legend>
                  {withVariants.map((p) => {
                    const id = `variant-${p.name}`;
                    return (
                      <div key={p.name} className="flex items-start gap-2 text-sm">
                        <input
                          id={id}
                          type="checkbox"
                          aria-describedby={`${id}-values`}
                          className="mt-0.5 size-4 accent-primary focus-visible:ring-2 focus-visible:ring-ring"
                          checked={picked.includes(p.name)}
                          onChange={(e) => toggle(p.name, e.target.checked)}
                        />
                        <span className="min-w-0">
                          <label htmlFor={id} className="break-all font-mono text-xs">
                            {p.name}
                          </label>
                          <span id={`${id}-values`} className="block break-all text-xs text-muted-foreground">
                            {p.variants?.map((v) => formatValue(v)).join(", ")}
                          </span>
                        </span>
                      </div>
                    );
                  })}
                </fieldset>
              );
            }}
          </QueryState>
        </CardContent>
      </Card>
      <Card aria-labelledby="grid-title" className="lg:col-span-2">
        <CardHeader>
          <CardTitle id="grid-title">Grid</CardTitle>
        </CardHeader>
        <CardContent>
          <Grid parameters={picked} />
        </CardContent>
      </Card>
    </div>
  );
}
