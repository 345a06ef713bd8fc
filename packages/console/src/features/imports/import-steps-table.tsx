/**
 * @module A plan's rows, each with the version it becomes (new, an existing one, or the same as an
 * earlier row: a revert), its legacy author, time and comment. A long history a page at a time.
 */
import type { ImportStep } from "@tradai/core";
import { useState } from "react";
import { Link } from "react-router";
import { Pager } from "@/components/pager";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { formatTime } from "@/lib/format";
import { ACTION_TEXT, rowText } from "./plan-counts";

export const STEPS_PAGE_SIZE = 25;

const TONES = { create: "success", existing: "info", same_as_row: "neutral" } as const;

export function ImportStepsTable({
  steps,
  strategy,
  linkVersions,
}: {
  steps: readonly ImportStep[];
  strategy: string;
  /** Whether the versions exist (an applied import): then each one links to its page. */
  linkVersions: boolean;
}) {
  const [offset, setOffset] = useState(0);
  const page = steps.slice(offset, offset + STEPS_PAGE_SIZE);
  const next = offset + STEPS_PAGE_SIZE < steps.length ? offset + STEPS_PAGE_SIZE : null;
  const base = `/strategies/${encodeURIComponent(strategy)}/versions`;
  return (
    <>
      <Table aria-label="Legacy rows and the versions they become" data-testid="import-steps">
        <THead>
          <tr>
            <Th>Row</Th>
            <Th>Becomes</Th>
            <Th>Version</Th>
            <Th>Author</Th>
            <Th>Time</Th>
            <Th>Comment</Th>
          </tr>
        </THead>
        <TBody>
          {page.map((step) => (
            <Tr key={String(step.row)} data-row={step.row} data-action={step.action}>
              <Td className="whitespace-nowrap">{step.row === "current" ? "live row" : step.row}</Td>
              <Td>
                <Badge tone={TONES[step.action]}>{ACTION_TEXT[step.action].label}</Badge>
                {step.of_row !== null && (
                  <span className="block text-xs text-muted-foreground">as {rowText(step.of_row)}</span>
                )}
              </Td>
              <Td className="font-mono text-xs">
                {linkVersions ? (
                  <Link className="text-primary underline" to={`${base}/${encodeURIComponent(step.config_id)}`}>
                    {step.config_id}
                  </Link>
                ) : (
                  step.config_id
                )}
              </Td>
              <Td data-cell="author">{step.author ?? "—"}</Td>
              <Td className="whitespace-nowrap text-xs">{formatTime(step.time)}</Td>
              <Td className="min-w-40 break-words">{step.comment ?? "—"}</Td>
            </Tr>
          ))}
        </TBody>
      </Table>
      {steps.length > STEPS_PAGE_SIZE && (
        <Pager
          label="Pages of legacy rows"
          offset={offset}
          pageSize={STEPS_PAGE_SIZE}
          nextOffset={next}
          onPage={setOffset}
          status={
            <span className="text-muted-foreground" data-testid="import-steps-range">
              Rows {offset + 1}–{offset + page.length} of {steps.length}
            </span>
          }
        />
      )}
    </>
  );
}
