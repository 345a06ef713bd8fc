/** @module Workers (not built yet). */
import { PageHeader } from "@/components/page";
import { Empty } from "@/components/states";

export function WorkersPage() {
  return (
    <>
      <PageHeader title="Workers" />
      <Empty>This page is not built yet.</Empty>
    </>
  );
}
