/** @module Compare runs (not built yet). */
import { PageHeader } from "@/components/page";
import { Empty } from "@/components/states";

export function RunsDiffPage() {
  return (
    <>
      <PageHeader title="Compare runs" />
      <Empty>This page is not built yet.</Empty>
    </>
  );
}
