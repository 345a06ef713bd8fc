/**
 * @module Paging through a list the API serves a page at a time (offset, total, next_offset): where
 * this page lies, and the buttons to the page before and after. Audit entries and runs use it.
 */
import type { ReactNode } from "react";
import { Button } from "./ui/button";

export interface PagerProps {
  /** The navigation landmark's name, e.g. "Pages of runs". */
  label: string;
  offset: number;
  pageSize: number;
  /** The API's next_offset: null on the last page. */
  nextOffset: number | null;
  onPage(offset: number): void;
  /** What the page is, between or before the buttons. */
  status: ReactNode;
  previousLabel?: string;
  nextLabel?: string;
}

export function Pager({
  label,
  offset,
  pageSize,
  nextOffset,
  onPage,
  status,
  previousLabel = "Previous",
  nextLabel = "Next",
}: PagerProps) {
  return (
    <nav aria-label={label} className="mt-3 flex flex-wrap items-center justify-between gap-2 text-sm">
      {status}
      <span className="flex gap-2">
        <Button
          variant="outline"
          size="sm"
          disabled={offset === 0}
          onClick={() => onPage(Math.max(0, offset - pageSize))}
        >
          {previousLabel}
        </Button>
        <Button
          variant="outline"
          size="sm"
          disabled={nextOffset === null}
          onClick={() => nextOffset !== null && onPage(nextOffset)}
        >
          {nextLabel}
        </Button>
      </span>
    </nav>
  );
}
