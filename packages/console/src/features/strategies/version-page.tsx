/** @module Version (not built yet). */
import { PageHeader } from "@/components/page";
import { Empty } from "@/components/states";

export function VersionPage() {
  return (
    <>
      <PageHeader title="Version" />
      <Empty>This page is not built yet.</Empty>
    </>
  );
}
