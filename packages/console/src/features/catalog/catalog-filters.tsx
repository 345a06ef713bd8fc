/** @module The catalog list's filters: text, group, strategy, type, deprecated (kept in the URL). */
import { PARAMETER_TYPES } from "@tradai/core";
import { Field } from "@/components/field";
import { Input, Select } from "@/components/ui/input";
import type { CatalogFilter } from "./catalog-filter";

export function CatalogFilters({
  filter,
  groups,
  strategies,
  onChange,
}: {
  filter: CatalogFilter;
  groups: string[];
  strategies: string[];
  onChange: (name: keyof CatalogFilter, value: string) => void;
}) {
  const select = (name: keyof CatalogFilter, label: string, options: string[], all: string) => (
    <Field label={label}>
      {(control) => (
        <Select {...control} value={filter[name] ?? ""} onChange={(e) => onChange(name, e.target.value)}>
          <option value="">{all}</option>
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
  return (
    <search className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5" aria-label="Filter parameters">
      <Field label="Search" description="Name or description">
        {(control) => (
          <Input {...control} type="search" value={filter.q ?? ""} onChange={(e) => onChange("q", e.target.value)} />
        )}
      </Field>
      {select("group", "Group", groups, "all groups")}
      {select("strategy", "Strategy", strategies, "all strategies")}
      {select("type", "Type", [...PARAMETER_TYPES], "all types")}
      <Field label="Deprecated">
        {(control) => (
          <Select {...control} value={filter.deprecated ?? ""} onChange={(e) => onChange("deprecated", e.target.value)}>
            <option value="">all</option>
            <option value="false">current only</option>
            <option value="true">deprecated only</option>
          </Select>
        )}
      </Field>
    </search>
  );
}
