/**
 * @module The imports made, newest first: when and by whom, what it read (its kind), into which
 * strategy and environment, rows and new versions, what became active, and whether it was undone;
 * Undo for whom may.
 */
import { Link } from "react-router";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { formatAgo, formatTime } from "@/lib/format";
import { ImportKindBadge } from "./import-kind";
import type { AppliedImport, UndoResult } from "./import-types";
import { UndoImportDialog } from "./undo-dialog";

const link = "text-primary underline";

export function ImportsTable({
  items,
  canUndo,
  onUndone,
}: {
  items: AppliedImport[];
  canUndo: boolean;
  onUndone(result: UndoResult): void;
}) {
  return (
    <Table aria-label="Imports" data-testid="imports">
      <THead>
        <tr>
          <Th>When</Th>
          <Th>By</Th>
          <Th>Kind</Th>
          <Th>Strategy</Th>
          <Th>Environment</Th>
          <Th>Rows</Th>
          <Th>New versions</Th>
          <Th>Active</Th>
          <Th>State</Th>
          {canUndo && <Th>Actions</Th>}
        </tr>
      </THead>
      <TBody>
        {items.map((item) => {
          const id = item.import_id as string;
          return (
            <Tr key={id} data-import={id} data-strategy={item.strategy} data-undone={item.undone_at !== null}>
              <Td className="whitespace-nowrap">
                <Link
                  className={link}
                  to={`/imports/${encodeURIComponent(id)}`}
                  aria-label={`Import into ${item.strategy}, ${formatTime(item.applied_at)}`}
                >
                  <time dateTime={item.applied_at}>{formatTime(item.applied_at)}</time>
                </Link>
                <span className="block text-xs text-muted-foreground">{formatAgo(item.applied_at)}</span>
              </Td>
              <Td data-cell="by">{item.applied_by}</Td>
              <Td data-cell="kind">
                <ImportKindBadge kind={item.kind} />
              </Td>
              <Td data-cell="strategy">
                <Link className={link} to={`/strategies/${encodeURIComponent(item.strategy)}/versions`}>
                  {item.strategy}
                </Link>
                <span className="block break-all text-xs text-muted-foreground">{item.source}</span>
              </Td>
              <Td data-cell="environment">{item.environment}</Td>
              <Td data-cell="rows">{item.steps.length}</Td>
              <Td data-cell="versions">{item.versions_created}</Td>
              <Td className="font-mono text-xs" data-cell="active">
                {item.activation.config_id ?? "—"}
              </Td>
              <Td data-cell="state">
                {item.undone_at ? (
                  <Badge tone="warning" title={formatTime(item.undone_at)}>
                    undone {formatAgo(item.undone_at)}
                  </Badge>
                ) : (
                  <Badge tone="success">applied</Badge>
                )}
              </Td>
              {canUndo && <Td>{item.undone_at ? "—" : <UndoImportDialog item={item} onUndone={onUndone} />}</Td>}
            </Tr>
          );
        })}
      </TBody>
    </Table>
  );
}
