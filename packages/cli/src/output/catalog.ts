/** @module How catalog parameters look in the terminal: the `catalog list` table, `catalog show` fields, the `catalog shadow` evidence. */
import type { CatalogEntry, CatalogListing } from "@tradai/client";
import type { CatalogParameter, ShadowKeySummary } from "@tradai/core";
import { formatFields, formatTable } from "./table.js";

const json = (value: unknown) => JSON.stringify(value);

/** `-0.5..-0.01 step 0.01`, `a|b|c`, or `-`. */
export function boundsOrAllowed(p: CatalogParameter): string {
  if (p.allowed) return p.allowed.map(String).join("|");
  if (p.min === undefined && p.max === undefined && p.step === undefined) return "-";
  const range = p.min === undefined && p.max === undefined ? "" : `${p.min ?? ""}..${p.max ?? ""}`;
  const step = p.step === undefined ? "" : `step ${p.step}`;
  return [range, step].filter(Boolean).join(" ");
}

/** `critical,hot,required,immutable,deprecated->replacement` (`between_trades` or `shadow` for those reload classes), or `-`. */
export function flags(p: CatalogParameter): string {
  const found = [
    p.criticality === "critical" ? "critical" : "",
    p.reload === "restart" ? "" : p.reload,
    p.required ? "required" : "",
    p.immutable ? "immutable" : "",
    p.deprecated ? `deprecated${p.replacement ? `->${p.replacement}` : ""}` : "",
  ].filter(Boolean);
  return found.length === 0 ? "-" : found.join(",");
}

export function catalogTable(listing: CatalogListing): string {
  const header = `catalog revision ${listing.revision}: ${listing.items.length} parameter(s)`;
  if (listing.items.length === 0) return header;
  const rows = listing.items.map(({ parameter: p }) => [
    p.name,
    p.type,
    p.group,
    boundsOrAllowed(p),
    p.default === undefined ? "-" : json(p.default),
    flags(p),
  ]);
  return `${header}\n${formatTable([["NAME", "TYPE", "GROUP", "BOUNDS/ALLOWED", "DEFAULT", "FLAGS"], ...rows])}`;
}

/** Every field of a parameter, `-` where it has none. */
export function parameterDetails({ parameter: p, created_revision, updated_revision }: CatalogEntry): string {
  const opt = (value: unknown) => (value === undefined ? "-" : typeof value === "string" ? value : json(value));
  return formatFields([
    ["name", p.name],
    ["type", p.type],
    ["description", p.description],
    ["group", p.group],
    ["unit", opt(p.unit)],
    ["allowed", p.allowed ? p.allowed.map(String).join(", ") : "-"],
    ["min", opt(p.min)],
    ["max", opt(p.max)],
    ["step", opt(p.step)],
    ["default", p.default === undefined ? "-" : json(p.default)],
    ["required", String(p.required)],
    ["deprecated", String(p.deprecated)],
    ["replacement", opt(p.replacement)],
    ["reason", opt(p.reason)],
    ["reload", p.reload],
    ["criticality", p.criticality],
    ["immutable", String(p.immutable)],
    ["variants", p.variants ? json(p.variants) : "-"],
    [
      "deprecated_values",
      p.deprecated_values
        ? Object.entries(p.deprecated_values)
            .map(([value, e]) => `${value} -> ${json(e.replacement)} (${e.reason})`)
            .join("; ")
        : "-",
    ],
    ["comparability", p.comparability ?? "compare"],
    ["strategies", p.strategies.length === 0 ? "all" : p.strategies.join(", ")],
    ["created_revision", String(created_revision)],
    ["updated_revision", String(updated_revision)],
  ]);
}

/** Per shadow key: would-apply reports, workers, period, mid-trade; and the parameter's class now. */
export function shadowTable(items: readonly ShadowKeySummary[]): string {
  if (items.length === 0) return "no worker has reported a shadow key's would-apply yet";
  return formatTable([
    ["KEY", "CLASS_NOW", "REPORTS", "WORKERS", "FIRST", "LAST", "MID_TRADE", "TRADE_UNKNOWN"],
    ...items.map((i) => [
      i.key,
      i.reload ?? "(not in the catalog)",
      String(i.events),
      String(i.workers),
      i.first_at,
      i.last_at,
      String(i.mid_trade),
      String(i.trade_unknown),
    ]),
  ]);
}
