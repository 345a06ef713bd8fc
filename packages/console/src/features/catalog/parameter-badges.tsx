/** @module A parameter's flags as badges: deprecated (with its replacement), critical, hot reload, required, immutable, secret. */
import type { CatalogParameter } from "@tradai/core";
import { Link } from "react-router";
import { Badge } from "@/components/ui/badge";

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
      {p.criticality === "critical" && <Badge tone="warning">critical</Badge>}
      <Badge tone={p.reload === "hot" ? "success" : "neutral"}>{p.reload === "hot" ? "hot reload" : "restart"}</Badge>
      {p.required && <Badge tone="info">required</Badge>}
      {p.immutable && <Badge tone="info">immutable</Badge>}
      {p.type === "secret_ref" && <Badge tone="info">secret</Badge>}
    </span>
  );
}
