/**
 * @module What comparing two runs allows: the verdict as a prominent badge, what it means, and
 * every difference key by key with why it does or does not matter.
 */
import type { ComparabilityReason, ComparabilityVerdict, RunComparison } from "@tradai/core";
import { formatValue } from "@/components/diff-table";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";

const VERDICT_TONE = { strict: "success", relaxed: "warning", forbidden: "danger" } as const;
const EFFECT_TONE = { none: "neutral", relaxed: "warning", forbidden: "danger" } as const;
const VERDICT_MEANING: Record<ComparabilityVerdict, string> = {
  strict: "Same parameter set: compare their results as they are.",
  relaxed: "Same values where it counts: compare their results, keeping the differences below in mind.",
  forbidden: "Different inputs or code: their results cannot be compared.",
};

export function ComparabilityCard({ comparison }: { comparison: RunComparison }) {
  const { verdict, summary, reasons } = comparison;
  return (
    <Card aria-labelledby="comparability-title">
      <CardHeader>
        <CardTitle id="comparability-title">Comparability</CardTitle>
      </CardHeader>
      <CardContent className="space-y-4">
        <div className="flex flex-wrap items-center gap-3">
          <Badge
            tone={VERDICT_TONE[verdict]}
            className="px-4 py-1 text-base font-semibold uppercase tracking-wide"
            data-testid="comparability-verdict"
            data-verdict={verdict}
          >
            {verdict}
          </Badge>
          <span className="text-sm font-medium">{VERDICT_MEANING[verdict]}</span>
        </div>
        <p className="text-sm text-muted-foreground" data-testid="comparability-summary">
          {summary}
        </p>
        {reasons.length > 0 && <ReasonsTable reasons={reasons} />}
      </CardContent>
    </Card>
  );
}

function ReasonsTable({ reasons }: { reasons: readonly ComparabilityReason[] }) {
  return (
    <Table aria-label="Comparability reasons">
      <THead>
        <tr>
          <Th>Key</Th>
          <Th>Effect</Th>
          <Th className="whitespace-nowrap">Run A</Th>
          <Th className="whitespace-nowrap">Run B</Th>
          <Th>Why</Th>
        </tr>
      </THead>
      <TBody>
        {reasons.map((r) => {
          const name = r.key ?? r.field ?? "";
          return (
            <Tr key={`${r.kind}:${name}`} data-reason={name} data-kind={r.kind}>
              <Td className="whitespace-nowrap font-mono text-xs">
                {r.key ?? <span className="italic">{r.field}</span>}
              </Td>
              <Td>
                <Badge tone={EFFECT_TONE[r.effect]}>{r.effect}</Badge>
              </Td>
              <Td className="min-w-20 break-all font-mono text-xs">{formatValue(r.a)}</Td>
              <Td className="min-w-20 break-all font-mono text-xs">{formatValue(r.b)}</Td>
              <Td className="min-w-64 text-xs">{r.message}</Td>
            </Tr>
          );
        })}
      </TBody>
    </Table>
  );
}
