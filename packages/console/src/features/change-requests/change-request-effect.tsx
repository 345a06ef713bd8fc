/**
 * @module What a change request changes: its subject's diff (the version's values, the base values,
 * the policy, the catalog), how it weakens governance, and for every kind but activations (whose
 * subject diff already is what resolves) each resolved config it alters, before and after.
 */
import type { ChangeRequest } from "@tradai/core";
import { DiffTable } from "@/components/diff-table";
import { Empty } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";

const SUBJECT: Record<ChangeRequest["kind"], string> = {
  activation: "The version's values against the active version",
  promotion: "The version's values against the active version",
  environment_base: "The environment's base values",
  environment_policy: "The environment's policy",
  catalog: "The catalog",
  import: "The newest legacy row against the active version",
  rollout: "The version rolled out, against the active version",
};

type Resolved = NonNullable<ChangeRequest["effect"]>["resolved"][number];

function ResolvedChange({ change: r }: { change: Resolved }) {
  const id = `resolved-${r.environment}-${r.strategy}`;
  return (
    <section aria-labelledby={id} className="space-y-2" data-resolved={`${r.strategy}/${r.environment}`}>
      <h4 id={id} className="flex flex-wrap items-center gap-2 text-sm font-medium">
        What {r.strategy} resolves in {r.environment}
        {r.critical.length > 0 && <Badge tone="danger">critical: {r.critical.join(", ")}</Badge>}
      </h4>
      <p className="text-xs text-muted-foreground">
        {r.before ? `from ${r.before.config_id}` : "from nothing resolved"} →{" "}
        {r.after ? `to ${r.after.config_id}` : "to nothing resolved"}
      </p>
      <DiffTable diff={r.diff} label={`What ${r.strategy} resolves in ${r.environment}`} />
    </section>
  );
}

export function ChangeRequestEffect({ request: cr }: { request: ChangeRequest }) {
  const byVersion = cr.kind === "activation" || cr.kind === "promotion";
  const weakenings = cr.effect?.weakenings ?? [];
  return (
    <Card aria-labelledby="cr-diff-title" className="xl:col-span-2">
      <CardHeader>
        <CardTitle id="cr-diff-title">Changes</CardTitle>
      </CardHeader>
      <CardContent className="space-y-4">
        <section aria-labelledby="cr-subject-title" className="space-y-2">
          <h3 id="cr-subject-title" className="text-sm font-semibold">
            {SUBJECT[cr.kind]}
          </h3>
          <DiffTable diff={cr.diff} label={`Changes of change request #${cr.id}`} />
        </section>
        {weakenings.length > 0 && (
          <section aria-labelledby="cr-weakenings-title" className="space-y-1" data-testid="weakenings">
            <h3 id="cr-weakenings-title" className="text-sm font-semibold">
              Weakens governance
            </h3>
            <ul className="list-disc pl-5 text-sm">
              {weakenings.map((w) => (
                <li key={`${w.subject} ${w.what}`}>
                  {w.subject} {w.what}
                </li>
              ))}
            </ul>
          </section>
        )}
        {!byVersion && (
          <section aria-labelledby="cr-resolved-title" className="space-y-3" data-testid="resolved-effect">
            <h3 id="cr-resolved-title" className="text-sm font-semibold">
              Resolved configs it alters
            </h3>
            {!cr.effect ? (
              <Empty>Not recorded: this request was made before effects were.</Empty>
            ) : cr.effect.resolved.length === 0 ? (
              <Empty>None: no strategy resolves anything different in any environment.</Empty>
            ) : (
              cr.effect.resolved.map((r) => <ResolvedChange key={`${r.environment}/${r.strategy}`} change={r} />)
            )}
          </section>
        )}
      </CardContent>
    </Card>
  );
}
