/**
 * @module A parameter's flags as badges, the same in the catalog and the parameter editor:
 * deprecated (with a link to its replacement), critical, its reload class (hot reload, between
 * trades, restart or shadow), required, immutable, secret.
 */
import type { CatalogParameter } from "@tradai/core";
import { Link } from "react-router";
import { Badge } from "./ui/badge";

export function ParameterBadges({ parameter: p }: { parameter: CatalogParameter }) {
  return (
    <span className="flex flex-wrap items-center gap-1">
      {p.deprecated && (
        <Badge tone="danger" data-testid="deprecated-badge">
          deprecated
          {p.replacement && (
            <>
              {" "}
              → use{" "}
              <Link
                className="ml-1 font-mono underline underline-offset-2"
                to={`/catalog/parameters/${encodeURIComponent(p.replacement)}`}
                data-testid="replacement"
              >
                {p.replacement}
              </Link>
            </>
          )}
        </Badge>
      )}
      {p.criticality === "critical" && (
        <Badge tone="warning" title="Changing its value needs approval by a second person">
          critical
        </Badge>
      )}
      {p.reload === "hot" ? (
        <Badge tone="success" title="Workers apply a change at their next safe boundary, without a restart">
          hot reload
        </Badge>
      ) : p.reload === "between_trades" ? (
        <Badge
          tone="info"
          title="Workers apply a change at a safe boundary where they hold no open trade; until then they keep the old value"
        >
          between trades
        </Badge>
      ) : p.reload === "shadow" ? (
        <Badge
          tone="neutral"
          className="border-dashed"
          title="Workers never apply a change: they keep the value in use and report where they would have applied it"
          data-testid="shadow-badge"
        >
          shadow
        </Badge>
      ) : (
        <Badge tone="neutral" title="Workers apply a change only after a restart">
          restart
        </Badge>
      )}
      {p.required && <Badge tone="info">required</Badge>}
      {p.immutable && <Badge tone="info">immutable</Badge>}
      {p.type === "secret_ref" && <Badge tone="info">secret</Badge>}
    </span>
  );
}
