/** @module Catalog parameter (not built yet). */
import { PageHeader } from "@/components/page";
import { Empty } from "@/components/states";

export function CatalogParameterPage() {
  return (
    <>
      <PageHeader title="Catalog parameter" />
      <Empty>This page is not built yet.</Empty>
    </>
  );
}
