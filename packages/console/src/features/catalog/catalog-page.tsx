/**
 * @module The catalog (/catalog): parameters grouped with filters, strategy policies, coherence
 * rules, the variants grid, shadow evidence and the revision history. Everyone reads; admins (catalog.write) also
 * get the controls that change it. The view and the filters live in the URL.
 */
import { useSearchParams } from "react-router";
import { PageHeader } from "@/components/page";
import { QueryState } from "@/components/states";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { useCan } from "../session/can";
import { type CatalogFilter, filterFromSearch } from "./catalog-filter";
import { CatalogFilters } from "./catalog-filters";
import { useCatalog } from "./catalog-query";
import { NewParameterDialog } from "./new-parameter-dialog";
import { ParameterTable } from "./parameter-table";
import { PoliciesCard } from "./policies-card";
import { RevisionsPanel } from "./revisions-panel";
import { RulesPanel } from "./rules-panel";
import { ShadowEvidencePanel } from "./shadow-evidence-panel";
import { VariantsPanel } from "./variants-panel";

const VIEWS = ["parameters", "rules", "variants", "shadow", "revisions"] as const;
type View = (typeof VIEWS)[number];

function ParametersView() {
  const [search, setSearch] = useSearchParams();
  const filter = filterFromSearch(search);
  const everything = useCatalog();
  const filtered = useCatalog(filter);
  const all = everything.data?.items.map((i) => i.parameter) ?? [];
  const groups = [...new Set(all.map((p) => p.group))].sort();
  const strategies = [
    ...new Set([...all.flatMap((p) => p.strategies), ...Object.keys(everything.data?.policies ?? {})]),
  ].sort();
  const onChange = (name: keyof CatalogFilter, value: string) =>
    setSearch(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  return (
    <div className="space-y-4">
      {everything.data && <PoliciesCard strategies={strategies} policies={everything.data.policies} />}
      <CatalogFilters filter={filter} groups={groups} strategies={strategies} onChange={onChange} />
      <QueryState query={filtered} loadingLabel="Loading parameters">
        {(data) => (
          <>
            <p className="text-sm text-muted-foreground" role="status" data-testid="parameter-count">
              {data.items.length} of {everything.data?.items.length ?? "…"} parameters
            </p>
            <ParameterTable items={data.items} />
          </>
        )}
      </QueryState>
    </div>
  );
}

function Revision() {
  const catalog = useCatalog();
  if (!catalog.data) return null;
  return (
    <span data-testid="catalog-revision">
      Current revision: <strong>{catalog.data.revision}</strong>
    </span>
  );
}

export function CatalogPage() {
  const canWrite = useCan("catalog.write");
  const [search, setSearch] = useSearchParams();
  const view: View = VIEWS.find((v) => v === search.get("view")) ?? "parameters";
  // Only the view changes: the filters stay for when the user comes back to the parameters.
  const setView = (v: string) =>
    setSearch((current) => {
      const next = new URLSearchParams(current);
      if (v === "parameters") next.delete("view");
      else next.set("view", v);
      return next;
    });
  return (
    <>
      <PageHeader title="Catalog" description={<Revision />} actions={canWrite ? <NewParameterDialog /> : undefined} />
      <Tabs value={view} onValueChange={setView}>
        <TabsList aria-label="Catalog views">
          <TabsTrigger value="parameters">Parameters</TabsTrigger>
          <TabsTrigger value="rules">Rules</TabsTrigger>
          <TabsTrigger value="variants">Variants</TabsTrigger>
          <TabsTrigger value="shadow">Shadow evidence</TabsTrigger>
          <TabsTrigger value="revisions">Revisions</TabsTrigger>
        </TabsList>
        <TabsContent value="parameters">
          <ParametersView />
        </TabsContent>
        <TabsContent value="rules">
          <RulesPanel />
        </TabsContent>
        <TabsContent value="variants">
          <VariantsPanel />
        </TabsContent>
        <TabsContent value="shadow">
          <ShadowEvidencePanel />
        </TabsContent>
        <TabsContent value="revisions">
          <RevisionsPanel />
        </TabsContent>
      </Tabs>
    </>
  );
}
