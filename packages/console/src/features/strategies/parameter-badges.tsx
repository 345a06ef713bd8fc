/** @module A parameter's badges: critical, hot reload or restart, immutable, deprecated with its replacement. */
import type { CatalogParameter } from "@tradai/core";
import { Badge } from "@/components/ui/badge";

export function ParameterBadges({ parameter }: { parameter: CatalogParameter }) {
  return (
    <span className="flex flex-wrap gap-1">
      {parameter.criticality === "critical" && (
        <Badge tone="danger" title="Changing it needs approval by a second person">
          critical
        </Badge>
      )}
      {parameter.reload === "hot" ? (
        <Badge tone="success" title="Workers apply a change at their next safe boundary, without a restart">
          hot reload
        </Badge>
      ) : (
        <Badge tone="neutral" title="Workers apply a change only after a restart">
          restart
        </Badge>
      )}
      {parameter.immutable && <Badge tone="info">immutable</Badge>}
      {parameter.deprecated && (
        <Badge tone="warning">deprecated{parameter.replacement ? `: use ${parameter.replacement}` : ""}</Badge>
      )}
    </span>
  );
}
