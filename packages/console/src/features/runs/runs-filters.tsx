/** @module The run list's filters, kept in the URL's search params (a filtered list can be shared). */
import { runStatus } from "@tradai/core";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";

export const FILTER_PARAMS = ["strategy", "status", "config_version_id", "parameter_set_hash", "experiment"] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];
export type FilterValues = Record<FilterParam, string>;

const LABELS: Record<FilterParam, string> = {
  strategy: "Strategy",
  status: "Status",
  config_version_id: "Config version",
  parameter_set_hash: "Parameter set hash",
  experiment: "Experiment",
};

const keyOf = (values: FilterValues) => FILTER_PARAMS.map((k) => values[k].trim()).join("\0");

export function RunsFilters({ value, onApply }: { value: FilterValues; onApply(values: FilterValues): void }) {
  const [draft, setDraft] = useState(value);
  // The URL is the truth: back/forward or a link sets the form again. Our own Apply coming back
  // through the URL does not: the form already shows it, and may hold what was typed since.
  const applied = useRef<string | null>(null);
  useEffect(() => {
    if (applied.current === keyOf(value)) applied.current = null;
    else setDraft(value);
  }, [value]);
  const apply = (values: FilterValues) => {
    applied.current = keyOf(values);
    onApply(values);
  };
  const set = (name: FilterParam) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [name]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply(draft);
  };
  const empty = Object.fromEntries(FILTER_PARAMS.map((k) => [k, ""])) as FilterValues;
  const active = FILTER_PARAMS.filter((k) => value[k]).length;
  // Open on wide screens and whenever a filter is set; folded away on a phone otherwise.
  const [open, setOpen] = useState(() => active > 0 || window.matchMedia("(min-width: 640px)").matches);
  return (
    <details
      open={open}
      onToggle={(e) => setOpen(e.currentTarget.open)}
      className="mb-4 rounded-lg border bg-card px-4 py-2 shadow-sm"
    >
      <summary className="cursor-pointer select-none py-1 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
        Filters{active > 0 ? ` (${active} active)` : ""}
      </summary>
      <form
        aria-label="Filter runs"
        onSubmit={submit}
        className="mt-2 mb-2 grid gap-3 sm:grid-cols-2 lg:grid-cols-[repeat(5,minmax(0,1fr))_auto]"
      >
        {FILTER_PARAMS.map((name) => (
          <Field key={name} label={LABELS[name]} className="min-w-0">
            {(control) =>
              name === "status" ? (
                <Select {...control} value={draft.status} onChange={set("status")}>
                  <option value="">any</option>
                  {runStatus.options.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </Select>
              ) : (
                <Input {...control} value={draft[name]} onChange={set(name)} autoComplete="off" spellCheck={false} />
              )
            }
          </Field>
        ))}
        <div className="flex items-end gap-2">
          <Button type="submit">Apply</Button>
          <Button
            variant="outline"
            onClick={() => {
              setDraft(empty);
              apply(empty);
            }}
          >
            Clear
          </Button>
        </div>
      </form>
    </details>
  );
}
