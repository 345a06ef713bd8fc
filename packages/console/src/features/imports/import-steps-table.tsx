/**
 * @module A plan's rows, each with the version it becomes (new, an existing one, or the same as an
 * earlier row: a revert), its legacy author, time and comment; for a config-versions import also
 * the registry item's id (marked where kept as the version's id), its status and its successor.
 * A long history a page at a time.
 */
import type { ImportStep } from "@tradai/core";
import { useState } from "react";
import { Link } from "react-router";
import { Pager } from "@/components/pager";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { formatTime } from "@/lib/format";
import type { ImportKind } from "./import-kind";
import { LegacyStatusBadge } from "./legacy-status-badge";
import { ACTION_TEXT, rowText } from "./plan-counts";

export const STEPS_PAGE_SIZE = 25;

const TONES = { create: "success", existing: "info", same_as_row: "neutral" } as const;

/** The last row: the live row of the legacy database, or the registry's ACTIVE item (or file) that becomes active. */
const currentText = (kind: ImportKind) => (kind === "config-versions" ? "active" : "live row");

/** A version's id, linked to its page when it exists. */
function VersionId({ id, base, link }: { id: string; base: string; link: boolean }) {
  if (!link) return id;
  return (
    <Link className="text-primary underline" to={`${base}/${encodeURIComponent(id)}`}>
      {id}
    </Link>
  );
}

/** The registry item's id, marked "kept" where it is the version's id too (it was consistent and its number free). */
function LegacyId({ step }: { step: ImportStep }) {
  if (!step.legacy_id) return "—";
  return (
    <>
      <span className="whitespace-nowrap font-mono text-xs">{step.legacy_id}</span>
      {step.legacy_id === step.config_id && (
        <Badge tone="success" className="ml-1" title="kept as the version's id" data-cell="kept">
          kept
        </Badge>
      )}
    </>
  );
}

export function ImportStepsTable({
  steps,
  strategy,
  kind,
  linkVersions,
}: {
  steps: readonly ImportStep[];
  strategy: string;
  kind: ImportKind;
  /** Whether the versions exist (an applied import): then each one links to its page. */
  linkVersions: boolean;
}) {
  const [offset, setOffset] = useState(0);
  const page = steps.slice(offset, offset + STEPS_PAGE_SIZE);
  const next = offset + STEPS_PAGE_SIZE < steps.length ? offset + STEPS_PAGE_SIZE : null;
  const base = `/strategies/${encodeURIComponent(strategy)}/versions`;
  const registry = kind === "config-versions";
  return (
    <>
      <Table aria-label="Legacy rows and the versions they become" data-testid="import-steps">
        <THead>
          <tr>
            <Th>Row</Th>
            <Th>Becomes</Th>
            <Th>Version</Th>
            {registry && (
              <>
                <Th>Legacy id</Th>
                <Th>Status</Th>
                <Th>Superseded by</Th>
              </>
            )}
            <Th>Author</Th>
            <Th>Time</Th>
            <Th>Comment</Th>
          </tr>
        </THead>
        <TBody>
          {page.map((step) => (
            <Tr key={String(step.row)} data-row={step.row} data-action={step.action}>
              <Td className="whitespace-nowrap">{step.row === "current" ? currentText(kind) : step.row}</Td>
              <Td>
                <Badge tone={TONES[step.action]}>{ACTION_TEXT[step.action].label}</Badge>
                {step.of_row !== null && (
                  <span className="block text-xs text-muted-foreground">as {rowText(step.of_row)}</span>
                )}
              </Td>
              <Td className="whitespace-nowrap font-mono text-xs" data-cell="version">
                <VersionId id={step.config_id} base={base} link={linkVersions} />
              </Td>
              {registry && (
                <>
                  <Td data-cell="legacy-id">
                    <LegacyId step={step} />
                  </Td>
                  <Td data-cell="legacy-status">
                    <LegacyStatusBadge status={step.legacy_status} />
                  </Td>
                  <Td className="whitespace-nowrap font-mono text-xs" data-cell="superseded-by">
                    {step.superseded_by ? <VersionId id={step.superseded_by} base={base} link={linkVersions} /> : "—"}
                  </Td>
                </>
              )}
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
