/**
 * @module The people behind credentials, as change requests show them: a service token acts for the
 * person who created it, four eyes count people, and the author's person never approves.
 */
import type { ChangeRequest, Principal } from "@tradai/core";

/** "alice", or "token:ci (for alice)" when a credential acted for a person of another name. */
export function actorText(name: string, person: string | null): string {
  return person && person !== name ? `${name} (for ${person})` : name;
}

/** The change request's author, with the person behind the credential when the names differ. */
export const authorOf = (cr: Pick<ChangeRequest, "author" | "author_person">) => actorText(cr.author, cr.author_person);

/** Whether the signed-in principal is the request's author: the same credential or the same person. */
export function isOwnRequest(me: Pick<Principal, "name" | "person"> | null | undefined, cr: ChangeRequest): boolean {
  if (!me) return false;
  if (me.name === cr.author) return true;
  const mine = me.person ?? null;
  return mine !== null && (mine === cr.author_person || mine === cr.author);
}

/** Whether the principal (as a person) already approved the request. */
export function approvedBy(me: Pick<Principal, "name" | "person"> | null | undefined, cr: ChangeRequest): boolean {
  if (!me) return false;
  return cr.reviews.some(
    (r) =>
      r.decision === "approve" &&
      (r.reviewer === me.name || (me.person != null && (r.reviewer_person ?? r.reviewer) === me.person)),
  );
}
