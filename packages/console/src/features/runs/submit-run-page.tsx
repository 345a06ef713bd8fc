/** @module Submit a backtest (not built yet). */
import { PageHeader } from "@/components/page";
import { Empty } from "@/components/states";

export function SubmitRunPage() {
  return (
    <>
      <PageHeader title="Submit a backtest" />
      <Empty>This page is not built yet.</Empty>
    </>
  );
}
