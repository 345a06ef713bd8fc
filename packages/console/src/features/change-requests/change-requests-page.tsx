/** @module Change requests (not built yet). */
import { PageHeader } from "@/components/page";
import { Empty } from "@/components/states";

export function ChangeRequestsPage() {
  return (
    <>
      <PageHeader title="Change requests" />
      <Empty>This page is not built yet.</Empty>
    </>
  );
}
