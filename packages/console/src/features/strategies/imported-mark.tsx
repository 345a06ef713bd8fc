/**
 * @module The mark of a version made by an import from the legacy configuration: an "imported"
 * badge with the legacy author and time (what the legacy history said, not who ran the import),
 * the whole provenance (source, comment) in its title; and the details rows of a version's page.
 */
import type { ConfigVersion } from "@tradai/core";
import { DetailRow } from "@/components/detail-list";
import { Badge } from "@/components/ui/badge";
import { formatTime } from "@/lib/format";

type Imported = NonNullable<ConfigVersion["imported"]>;

/** "Imported from legacy.json; legacy author alice, 2025-06-01 01:00:00 UTC: tune 1". */
export function importedText(imported: Imported): string {
  const by = imported.legacy_author ?? "an unknown author";
  const at = imported.legacy_time ? `, ${formatTime(imported.legacy_time)}` : "";
  const why = imported.legacy_comment ? `: ${imported.legacy_comment}` : "";
  return `Imported from ${imported.imported_from}; legacy author ${by}${at}${why}`;
}

/** In a list of versions: the badge, then the legacy author and time. Nothing for a version not imported. */
export function ImportedMark({ imported }: { imported: ConfigVersion["imported"] }) {
  if (!imported) return null;
  return (
    <span className="mt-1 block text-xs" data-testid="imported-mark" title={importedText(imported)}>
      <Badge tone="info">imported</Badge>{" "}
      <span className="text-muted-foreground">
        legacy: <span data-cell="legacy-author">{imported.legacy_author ?? "unknown author"}</span>
        {imported.legacy_time && <>, {formatTime(imported.legacy_time)}</>}
      </span>
    </span>
  );
}

/** On a version's page: where it was imported from, and the legacy author, time and comment. */
export function ImportedDetails({ imported }: { imported: ConfigVersion["imported"] }) {
  if (!imported) return null;
  return (
    <>
      <DetailRow label="Imported">
        <span data-testid="imported-mark">
          <Badge tone="info">imported</Badge> from {imported.imported_from}
        </span>
      </DetailRow>
      <DetailRow label="Legacy author">{imported.legacy_author ?? "—"}</DetailRow>
      <DetailRow label="Legacy time">{formatTime(imported.legacy_time)}</DetailRow>
      <DetailRow label="Legacy comment">{imported.legacy_comment ?? "—"}</DetailRow>
    </>
  );
}
