/** @module Admin (not built yet). */
import { PageHeader } from "@/components/page";
import { Empty } from "@/components/states";

export function AdminPage() {
  return (
    <>
      <PageHeader title="Admin" />
      <Empty>This page is not built yet.</Empty>
    </>
  );
}
