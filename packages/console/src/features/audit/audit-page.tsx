/** @module Audit trail (not built yet). */
import { PageHeader } from "@/components/page";
import { Empty } from "@/components/states";

export function AuditPage() {
  return (
    <>
      <PageHeader title="Audit trail" />
      <Empty>This page is not built yet.</Empty>
    </>
  );
}
