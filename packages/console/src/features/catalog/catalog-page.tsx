/** @module Catalog (not built yet). */
import { PageHeader } from "@/components/page";
import { Empty } from "@/components/states";

export function CatalogPage() {
  return (
    <>
      <PageHeader title="Catalog" />
      <Empty>This page is not built yet.</Empty>
    </>
  );
}
