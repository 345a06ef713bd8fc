/** @module Strategies (not built yet). */
import { PageHeader } from "@/components/page";
import { Empty } from "@/components/states";

export function StrategiesPage() {
  return (
    <>
      <PageHeader title="Strategies" />
      <Empty>This page is not built yet.</Empty>
    </>
  );
}
