/** @module Audit entry (not built yet). */
import { PageHeader } from "@/components/page";
import { Empty } from "@/components/states";

export function AuditEntryPage() {
  return (
    <>
      <PageHeader title="Audit entry" />
      <Empty>This page is not built yet.</Empty>
    </>
  );
}
