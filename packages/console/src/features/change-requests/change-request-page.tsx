/**
 * @module One change request (/change-requests/:id), of any kind: what it changes, why it needs
 * approval, its reviews, and the review controls (not for its author's person).
 */
import { Link, useParams } from "react-router";
import { PageHeader } from "@/components/page";
import { QueryState } from "@/components/states";
import { useEnvironments } from "../environments/environments-query";
import { ChangeRequestDetails } from "./change-request-details";
import { ChangeRequestEffect } from "./change-request-effect";
import { useChangeRequest } from "./change-request-query";
import { ChangeRequestReviews } from "./change-request-reviews";
import { ReviewPanel } from "./review-panel";

export function ChangeRequestPage() {
  const id = Number(useParams().id);
  const request = useChangeRequest(id);
  const environments = useEnvironments();
  return (
    <>
      <PageHeader
        title={`Change request #${id}`}
        description={
          <Link className="text-primary underline" to="/change-requests">
            All change requests
          </Link>
        }
      />
      <QueryState query={request} loadingLabel="Loading the change request">
        {(cr) => {
          // Break-glass needs every environment the request needs approval in to allow it.
          const touched = environments.data?.items.filter((e) => cr.environments.includes(e.name)) ?? [];
          const breakGlassAllowed = touched.length > 0 && touched.every((e) => e.break_glass_allowed);
          return (
            <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
              <ChangeRequestDetails request={cr} />
              <div className="space-y-4">
                <ReviewPanel request={cr} breakGlassAllowed={breakGlassAllowed} />
                <ChangeRequestReviews request={cr} />
              </div>
              <ChangeRequestEffect request={cr} />
            </div>
          );
        }}
      </QueryState>
    </>
  );
}
