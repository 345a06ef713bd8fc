/**
 * @module What became of a key with shadow evidence: still shadow, switched to another reload class
 * since, or no longer described by the catalog.
 */
import type { ShadowKeySummary } from "@tradai/core";
import { Badge } from "@/components/ui/badge";
import { RELOAD_LABELS } from "./reload-class";

export function ShadowKeyStatus({ reload }: { reload: ShadowKeySummary["reload"] }) {
  if (reload === "shadow")
    return (
      <Badge tone="neutral" className="border-dashed" data-reload="shadow">
        shadow
      </Badge>
    );
  if (reload === null)
    return (
      <Badge tone="warning" data-reload="none">
        no longer in the catalog
      </Badge>
    );
  return (
    <Badge tone="info" data-reload={reload} title="The evidence was gathered while it was shadow">
      switched to {RELOAD_LABELS[reload]}
    </Badge>
  );
}
