/** @module Parameter editor (not built yet). */
import { PageHeader } from "@/components/page";
import { Empty } from "@/components/states";

export function EditorPage() {
  return (
    <>
      <PageHeader title="Parameter editor" />
      <Empty>This page is not built yet.</Empty>
    </>
  );
}
