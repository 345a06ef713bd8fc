/** @module Runs (not built yet). */
import { PageHeader } from "@/components/page";
import { Empty } from "@/components/states";

export function RunsPage() {
  return (
    <>
      <PageHeader title="Runs" />
      <Empty>This page is not built yet.</Empty>
    </>
  );
}
