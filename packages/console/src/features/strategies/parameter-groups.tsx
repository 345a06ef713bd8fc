/**
 * @module A strategy's catalog parameters as the editor shows them: a card per group (sorted), a
 * typed field per parameter with what it resolves to now and what it would inherit.
 */
import { type EnvironmentBase, type ResolvedConfig, valueAt } from "@tradai/core";
import { memo, type ReactNode, useMemo } from "react";
import type { Control } from "react-hook-form";
import { useProgressiveCount } from "@/components/progressive-count";
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
  /** Shown after the last group once every group is there (nothing below the groups moves as they come). */
  after?: ReactNode;
}

const groupsOf = (catalog: StrategyCatalog) => {
  const groups = new Map<string, StrategyCatalog["parameters"]>();
  for (const p of catalog.parameters) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
};

export function ParameterGroups({ catalog, control, resolved, base, readOnly, after }: ParameterGroupsProps) {
  const groups = useMemo(() => groupsOf(catalog), [catalog]);
  // A group per frame after the first: a catalog of many parameters never freezes a phone. Each
  // group is memoised, so a slice renders its own group only, not again the ones before it.
  const shown = useProgressiveCount(groups.length, 1, 1);
  return (
    <>
      {groups.slice(0, shown).map(([group, parameters]) => (
        <ParameterGroup
          key={group}
          group={group}
          parameters={parameters}
          control={control}
          resolved={resolved}
          base={base}
          readOnly={readOnly}
        />
      ))}
      {shown === groups.length && after}
    </>
  );
}

type ParameterGroupProps = Omit<ParameterGroupsProps, "catalog" | "after"> & {
  group: string;
  parameters: StrategyCatalog["parameters"];
};

const ParameterGroup = memo(function ParameterGroup({
  group,
  parameters,
  control,
  resolved,
  base,
  readOnly,
}: ParameterGroupProps) {
  return (
    <Card aria-labelledby={`group-${group}`}>
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
  );
});
