/** @module Versions (not built yet). */
import { PageHeader } from "@/components/page";
import { Empty } from "@/components/states";

export function VersionsPage() {
  return (
    <>
      <PageHeader title="Versions" />
      <Empty>This page is not built yet.</Empty>
    </>
  );
}
