/** @module An audit entry's before/after as a diff by dotted path, with the raw JSON of both and of its details. */
import { type AuditEntry, diffValues, isPlainObject, leaves, type ValuesDiff } from "@tradai/core";
import { DiffTable } from "@/components/diff-table";
import { Empty } from "@/components/states";

/** Objects as they are; anything else (a scalar, a list) under the key `value`; nothing as {}. */
function asRecord(value: unknown): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  return { value };
}

/** An added or removed object is shown leaf by leaf (`config_data.stoploss`), like a changed one. */
export function expandObjects(diff: ValuesDiff): ValuesDiff {
  const expand = (side: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [path, value] of Object.entries(side)) {
      if (isPlainObject(value) && Object.keys(value).length > 0) {
        for (const [leaf, v] of leaves(value, new Set(), `${path}.`)) out[leaf] = v;
      } else out[path] = value;
    }
    return out;
  };
  return { added: expand(diff.added), removed: expand(diff.removed), changed: diff.changed };
}

function Json({ label, value }: { label: string; value: unknown }) {
  return (
    <details className="rounded-md border">
      <summary className="cursor-pointer px-3 py-2 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
        {label} (JSON)
      </summary>
      <pre className="max-h-96 overflow-auto whitespace-pre-wrap break-all border-t bg-muted/40 p-3 font-mono text-xs">
        {value === null || value === undefined ? "null" : JSON.stringify(value, null, 2)}
      </pre>
    </details>
  );
}

export function AuditEntryDiff({ entry }: { entry: AuditEntry }) {
  const nothing = entry.before === null && entry.after === null;
  return (
    <div className="space-y-3">
      {nothing ? (
        <Empty>This entry recorded no before or after state.</Empty>
      ) : (
        <DiffTable
          diff={expandObjects(diffValues(asRecord(entry.before), asRecord(entry.after)))}
          label="Before and after"
        />
      )}
      <div className="grid gap-2 lg:grid-cols-3">
        <Json label="Before" value={entry.before} />
        <Json label="After" value={entry.after} />
        <Json label="Details" value={entry.details} />
      </div>
    </div>
  );
}
