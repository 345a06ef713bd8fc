/**
 * @module Shadow evidence as a table, one row per key: what became of it (still shadow, or switched
 * since), the would-apply events, on how many workers, over which period, how many mid-trade.
 */
import type { ShadowKeySummary } from "@tradai/core";
import { Link } from "react-router";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { formatAgo, formatTime } from "@/lib/format";
import { ShadowKeyStatus } from "./shadow-key-status";

export function ShadowEvidenceTable({ items, label }: { items: ShadowKeySummary[]; label: string }) {
  return (
    <Table aria-label={label} data-testid="shadow-evidence">
      <THead>
        <tr>
          <Th>Key</Th>
          <Th>Reload now</Th>
          <Th>Would-apply events</Th>
          <Th>Workers</Th>
          <Th>Period</Th>
          <Th>Mid-trade</Th>
          <Th>Trade unknown</Th>
        </tr>
      </THead>
      <TBody>
        {items.map((s) => (
          <Tr key={s.key} data-shadow-key={s.key}>
            <Td className="min-w-40">
              <span className="break-all font-mono text-xs font-medium">{s.key}</span>
              {s.parameter && (
                <span className="block text-xs text-muted-foreground">
                  {s.parameter === s.key ? "parameter " : "in parameter "}
                  <Link
                    className="font-mono text-primary underline-offset-2 hover:underline"
                    to={`/catalog/parameters/${encodeURIComponent(s.parameter)}`}
                  >
                    {s.parameter}
                  </Link>
                </span>
              )}
            </Td>
            <Td data-cell="reload">
              <ShadowKeyStatus reload={s.reload} />
            </Td>
            <Td className="tabular-nums" data-cell="events">
              {s.events}
            </Td>
            <Td className="tabular-nums" data-cell="workers">
              {s.workers}
            </Td>
            <Td className="whitespace-nowrap text-xs" data-cell="period">
              <time dateTime={s.first_at}>{formatTime(s.first_at)}</time>
              {s.last_at !== s.first_at && (
                <>
                  {" "}
                  → <time dateTime={s.last_at}>{formatTime(s.last_at)}</time>
                </>
              )}
              <span className="block text-muted-foreground">last {formatAgo(s.last_at)}</span>
            </Td>
            <Td className="tabular-nums" data-cell="mid-trade" title="Observations made with a trade open">
              {s.mid_trade}
            </Td>
            <Td
              className="tabular-nums"
              data-cell="trade-unknown"
              title="Observations whose worker did not say whether a trade was open"
            >
              {s.trade_unknown}
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
