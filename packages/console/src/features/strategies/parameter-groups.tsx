/**
 * @module A strategy's catalog parameters as the editor shows them: a card per group (sorted), a
 * typed field per parameter with what it resolves to now and what it would inherit.
 */
import { type EnvironmentBase, type ResolvedConfig, valueAt } from "@tradai/core";
import type { Control } from "react-hook-form";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { StrategyCatalog } from "./catalog-query";
import { ParameterField } from "./parameter-field";

export interface ParameterGroupsProps {
  catalog: StrategyCatalog;
  control: Control<Record<string, unknown>>;
  /** The resolved config in the environment; null when no version is active there. */
  resolved: ResolvedConfig | null;
  base: EnvironmentBase | undefined;
  readOnly: boolean;
}

const groupsOf = (catalog: StrategyCatalog) => {
  const groups = new Map<string, StrategyCatalog["parameters"]>();
  for (const p of catalog.parameters) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
};

export function ParameterGroups({ catalog, control, resolved, base, readOnly }: ParameterGroupsProps) {
  return groupsOf(catalog).map(([group, parameters]) => (
    <Card key={group} aria-labelledby={`group-${group}`}>
      <CardHeader>
        <CardTitle id={`group-${group}`} className="capitalize">
          {group}
        </CardTitle>
      </CardHeader>
      <CardContent className="grid grid-cols-1 gap-3 lg:grid-cols-2">
        {parameters.map((parameter) => {
          const current = resolved ? valueAt(resolved.values, parameter.name) : { found: false as const };
          const fromBase = base ? valueAt(base.values, parameter.name) : { found: false as const };
          return (
            <ParameterField
              key={parameter.name}
              parameter={parameter}
              control={control}
              current={{
                noActiveVersion: resolved === null,
                found: current.found,
                value: current.found ? current.value : undefined,
                provenance: resolved?.provenance?.[parameter.name],
              }}
              inherited={fromBase.found ? fromBase.value : parameter.deprecated ? undefined : parameter.default}
              readOnly={readOnly}
            />
          );
        })}
      </CardContent>
    </Card>
  ));
}
