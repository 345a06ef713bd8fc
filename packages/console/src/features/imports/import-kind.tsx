/** @module What an import read: the legacy database's rows (legacy-db) or the config-versions registry (config-versions). */
import type { ImportPlan } from "@tradai/core";
import { Badge } from "@/components/ui/badge";

export type ImportKind = ImportPlan["kind"];

export const KIND_TEXT: Record<ImportKind, string> = {
  "legacy-db": "the legacy database: ftf_config and its history",
  "config-versions": "the legacy config-versions registry and the strategies' YAML files",
};

/** The kind as the CLI names it (`tradai import legacy-db`, `tradai import config-versions`), what it read on hover. */
export function ImportKindBadge({ kind }: { kind: ImportKind }) {
  return (
    <Badge tone={kind === "config-versions" ? "info" : "neutral"} title={KIND_TEXT[kind]} data-kind={kind}>
      {kind}
    </Badge>
  );
}
