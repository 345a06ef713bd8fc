/**
 * @module A change that became a change request (202): not applied. Its number (a link), what it
 * does, why it needs approval, and how many people other than its author must approve it. Every
 * page that makes a governed change shows a proposal with this one component.
 */
import type { ComponentProps } from "react";
import { Link } from "react-router";
import { Alert } from "@/components/ui/alert";
import type { Proposal } from "@/lib/governed";
import { authorOf } from "./people";

export function ProposedChange({
  proposal,
  ...props
}: { proposal: Omit<Proposal, "outcome"> } & Omit<ComponentProps<typeof Alert>, "tone" | "children">) {
  const cr = proposal.changeRequest;
  const needed = cr.approvals_required;
  return (
    <Alert tone="warning" data-outcome="change_request" data-change-request={cr.id} {...props}>
      <p className="font-medium">
        Not applied yet:{" "}
        {proposal.created ? "a change request was opened" : "an identical change request is already pending"}:{" "}
        {cr.summary}.
      </p>
      {cr.reasons.length > 0 && (
        <ul className="mt-1 list-disc pl-5" aria-label="Why it needs approval">
          {cr.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}
      <p className="mt-1">
        It needs {needed} approval{needed === 1 ? "" : "s"} from people other than {authorOf(cr)} ({cr.approvals} so
        far).{" "}
        <Link className="font-medium underline" to={`/change-requests/${cr.id}`}>
          Open change request #{cr.id}
        </Link>
      </p>
    </Alert>
  );
}
