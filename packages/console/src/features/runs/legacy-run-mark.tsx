/**
 * @module The mark of a run from before the migration (kind `legacy`): registered from the legacy
 * system's records, never launched here. A "legacy" badge with where it came from in its title, and
 * the line a run's page gives. Modelled on the imported mark of versions (strategies/imported-mark).
 */
import type { Run } from "@tradai/core";
import { Badge } from "@/components/ui/badge";

type LegacyOf = Pick<Run, "kind" | "legacy">;

export const isLegacyRun = (run: Pick<Run, "kind">) => run.kind === "legacy";

/** "Registered from finetune_runs.json, legacy id 501". */
export function legacyOriginText(legacy: Run["legacy"]): string {
  return legacy ? `Registered from ${legacy.source}, legacy id ${legacy.id}` : "Registered from the legacy system";
}

/** "registered from finetune_runs.json (id 501): from before the migration; not comparable, cannot be re-run". */
export function legacyTitle(legacy: Run["legacy"]): string {
  const from = legacy ? `registered from ${legacy.source} (id ${legacy.id})` : "registered from the legacy system";
  return `${from}: from before the migration; not comparable, cannot be re-run`;
}

/** The badge; nothing for a run of the platform. */
export function LegacyRunMark({ run }: { run: LegacyOf }) {
  if (!isLegacyRun(run)) return null;
  return (
    <Badge tone="warning" className="whitespace-nowrap" title={legacyTitle(run.legacy)} data-testid="run-legacy-mark">
      legacy
    </Badge>
  );
}
