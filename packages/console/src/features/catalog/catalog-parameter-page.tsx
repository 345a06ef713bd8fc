/**
 * @module One catalog parameter (/catalog/parameters/:name): its whole definition and revisions;
 * admins edit it (PUT, a new revision) and deprecate it with a replacement. A change that needs
 * approval is shown as the change request it became, never as saved.
 */
import type { CatalogParameter } from "@tradai/core";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { formatValue } from "@/components/diff-table";
import { PageHeader } from "@/components/page";
import { ParameterBadges } from "@/components/parameter-badges";
import { QueryState } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ProposedChange } from "../governance/proposed-change";
import { useCan } from "../session/can";
import type { CatalogChangeOutcome } from "./catalog-change";
import { useCatalogParameter } from "./catalog-parameter-query";
import { useCatalog } from "./catalog-query";
import { DeprecateDialog } from "./deprecate-dialog";
import { draftOf, type ParameterDraft } from "./parameter-draft";
import { ParameterForm } from "./parameter-form";
import { boundsText, defaultText } from "./parameter-format";
import { ParameterShadowCard } from "./parameter-shadow-card";

function Definition({ parameter: p }: { parameter: CatalogParameter }) {
  const rows: [string, string][] = [
    ["Type", p.type],
    ["Group", p.group],
    ["Default", defaultText(p)],
    ["Bounds / allowed", boundsText(p)],
    ["Unit", p.unit ?? "—"],
    ["Reload", p.reload],
    ["Criticality", p.criticality],
    ["Required", p.required ? "yes" : "no"],
    ["Immutable", p.immutable ? "yes" : "no"],
    ["Secret", p.type === "secret_ref" ? "yes (a reference, masked for people)" : "no"],
    ["Variants", p.variants?.length ? p.variants.map((v) => formatValue(v)).join(", ") : "—"],
    ["Strategies", p.strategies.length ? p.strategies.join(", ") : "all strategies"],
    ["Comparability", p.comparability === "ignore" ? "ignore (runs differing only here still compare)" : "compare"],
    [
      "Deprecated values",
      Object.entries(p.deprecated_values ?? {})
        .map(([value, e]) => `${value} → ${formatValue(e.replacement)} (${e.reason})`)
        .join("; ") || "—",
    ],
  ];
  if (p.deprecated) {
    rows.push(["Replacement", p.replacement ?? "—"], ["Deprecation reason", p.reason ?? "—"]);
  }
  return (
    <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="font-medium text-muted-foreground">{label}</dt>
          <dd className="break-all font-mono text-xs sm:text-sm" data-field={label}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** What the last edit or deprecation did: applied (a revision, or nothing changed), or proposed. */
function ChangeNotice({ outcome, applied }: { outcome: CatalogChangeOutcome; applied: string }) {
  if (outcome.outcome === "proposed") return <ProposedChange proposal={outcome} data-testid="catalog-change-result" />;
  return (
    <Alert tone="success" data-testid="catalog-change-result" data-outcome="applied">
      {outcome.value.changed
        ? `${applied} catalog revision ${outcome.value.revision}.`
        : "Nothing changed: the definition is identical."}
    </Alert>
  );
}

export function CatalogParameterPage() {
  const { name = "" } = useParams();
  const entry = useCatalogParameter(name);
  const catalog = useCatalog();
  const canWrite = useCan("catalog.write");
  // The draft the editor starts from (the definition, or with hot chosen by "Switch to hot"); null: not editing.
  const [editing, setEditing] = useState<ParameterDraft | null>(null);
  const [done, setDone] = useState<{ outcome: CatalogChangeOutcome; applied: string } | null>(null);
  // A deprecated parameter cannot be anyone's replacement.
  const others = (catalog.data?.items ?? [])
    .filter((i) => i.parameter.name !== name && !i.parameter.deprecated)
    .map((i) => i.parameter.name);
  return (
    <>
      <PageHeader
        title={name}
        description={
          <Link className="text-primary underline-offset-2 hover:underline" to="/catalog">
            Back to the catalog
          </Link>
        }
        actions={
          canWrite && entry.data && !editing ? (
            <>
              <Button
                variant="outline"
                onClick={() => {
                  setDone(null);
                  setEditing(draftOf(entry.data.parameter));
                }}
              >
                Edit
              </Button>
              {!entry.data.parameter.deprecated && (
                <DeprecateDialog
                  name={name}
                  replacements={others}
                  onDone={(outcome) => setDone({ outcome, applied: "Deprecated in" })}
                />
              )}
            </>
          ) : undefined
        }
      />
      <QueryState query={entry} loadingLabel="Loading the parameter">
        {({ parameter, created_revision, updated_revision }) => (
          <div className="space-y-4">
            {done && <ChangeNotice outcome={done.outcome} applied={done.applied} />}
            <Card aria-labelledby="definition-title">
              <CardHeader>
                <CardTitle id="definition-title">{editing ? "Edit the definition" : "Definition"}</CardTitle>
                <ParameterBadges parameter={parameter} />
              </CardHeader>
              <CardContent className="space-y-3">
                {editing ? (
                  <ParameterForm
                    mode="update"
                    initial={editing}
                    onCancel={() => setEditing(null)}
                    onSaved={(outcome) => {
                      setEditing(null);
                      setDone({ outcome, applied: "Saved as" });
                    }}
                  />
                ) : (
                  <>
                    <p className="text-sm">{parameter.description}</p>
                    <Definition parameter={parameter} />
                    <p className="text-xs text-muted-foreground">
                      Added in catalog revision {created_revision}, last changed in revision {updated_revision}.
                    </p>
                  </>
                )}
              </CardContent>
            </Card>
            <ParameterShadowCard
              parameter={parameter}
              onSwitchToHot={
                canWrite && !editing
                  ? () => {
                      setDone(null);
                      setEditing({ ...draftOf(parameter), reload: "hot" });
                      document.getElementById("definition-title")?.scrollIntoView();
                    }
                  : undefined
              }
            />
          </div>
        )}
      </QueryState>
    </>
  );
}
