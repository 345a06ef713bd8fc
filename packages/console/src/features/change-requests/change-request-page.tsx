/** @module Change request (not built yet). */
import { PageHeader } from "@/components/page";
import { Empty } from "@/components/states";

export function ChangeRequestPage() {
  return (
    <>
      <PageHeader title="Change request" />
      <Empty>This page is not built yet.</Empty>
    </>
  );
}
