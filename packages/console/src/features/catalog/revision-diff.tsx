/**
 * @module What changed between two catalog revisions. The server names each subject
 * (`parameter:risk.stoploss`, `rule:x`, `policy:Strategy`); a changed one is shown field by field.
 */
import { type CatalogRevisionDiff, diffValues, isPlainObject, type ValuesDiff } from "@tradai/core";
import { DiffTable } from "@/components/diff-table";

/** Subjects added or removed as a whole; changed ones as `subject field` rows. */
export function revisionValuesDiff(diff: CatalogRevisionDiff): ValuesDiff {
  const out: ValuesDiff = { added: { ...diff.added }, removed: { ...diff.removed }, changed: {} };
  for (const [subject, { old, new: next }] of Object.entries(diff.changed)) {
    if (isPlainObject(old) && isPlainObject(next)) {
      const inner = diffValues(old, next, `${subject} › `);
      Object.assign(out.added, inner.added);
      Object.assign(out.removed, inner.removed);
      Object.assign(out.changed, inner.changed);
    } else out.changed[subject] = { old, new: next };
  }
  return out;
}

export function RevisionDiff({ diff }: { diff: CatalogRevisionDiff }) {
  return <DiffTable diff={revisionValuesDiff(diff)} label={`Changes from revision ${diff.a} to ${diff.b}`} />;
}
