/** @module An audit entry's target, linked to its page in the console when it has one. */

import type { AuditEntry } from "@tradai/core";
import { Fragment } from "react";
import { Link } from "react-router";

/** The console page of a target, when there is one. */
export function targetPath(entry: Pick<AuditEntry, "target_type" | "target_id">): string | undefined {
  const id = entry.target_id;
  switch (entry.target_type) {
    case "config_version": {
      const [strategy, configId] = id.split("/");
      return strategy && configId
        ? `/strategies/${encodeURIComponent(strategy)}/versions/${encodeURIComponent(configId)}`
        : undefined;
    }
    case "change_request":
      return /^\d+$/.test(id) ? `/change-requests/${id}` : undefined;
    case "run":
      return `/runs/${encodeURIComponent(id)}`;
    case "import":
      return `/imports/${encodeURIComponent(id)}`;
    default:
      return undefined;
  }
}

/** The id with a line-break opportunity after each "/" (ids themselves are not cut). */
function breakable(id: string) {
  const parts = id.split("/");
  return parts.map((part, i) => {
    const last = i === parts.length - 1;
    return (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one id, in order
      <Fragment key={i}>
        <span className="whitespace-nowrap">{last ? part : `${part}/`}</span>
        {!last && <wbr />}
      </Fragment>
    );
  });
}

export function AuditTarget({ entry }: { entry: Pick<AuditEntry, "target_type" | "target_id"> }) {
  const path = targetPath(entry);
  return (
    <span className="min-w-0">
      <span className="text-xs text-muted-foreground">{entry.target_type}</span>{" "}
      {path ? (
        <Link className="font-mono text-xs text-primary underline" to={path}>
          {breakable(entry.target_id)}
        </Link>
      ) : (
        <span className="font-mono text-xs">{breakable(entry.target_id)}</span>
      )}
    </span>
  );
}
