/** @module Run (not built yet). */
import { PageHeader } from "@/components/page";
import { Empty } from "@/components/states";

export function RunPage() {
  return (
    <>
      <PageHeader title="Run" />
      <Empty>This page is not built yet.</Empty>
    </>
  );
}
