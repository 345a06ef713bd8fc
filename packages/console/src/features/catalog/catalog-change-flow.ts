/**
 * @module One catalog change from the form that makes it to what became of it: applied, proposed
 * (a change request), refused with something the user can answer (a forcible 409: a reason to
 * force; a 423: an override reason, for admins) or any other refusal. The server's field errors
 * go to the form's fields when it can place them. Sending again with a reason keeps what was sent.
 */
import type { UseMutationResult } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError } from "@/lib/api";
import { isFrozen } from "../governance/governed-refusal";
import type { CatalogChangeOptions, CatalogChangeOutcome } from "./catalog-change";
import { isForcible } from "./force-change";

export interface CatalogChangeHandlers<V> {
  /** Called with what the server did (applied or proposed). */
  onDone?(outcome: CatalogChangeOutcome, sent: V): void;
  /** Puts the server's field errors on the form; returns whether all of them found a field. */
  placeFieldErrors?(error: ApiError): boolean;
}

/** What the change's feedback shows (see CatalogChangeFeedback). */
export interface CatalogChangeState {
  outcome: CatalogChangeOutcome | null;
  failure: unknown;
  pending: boolean;
  /** Sends the last change again with a force or freeze-override reason. */
  retry(options: CatalogChangeOptions): void;
}

/**
 * @example
 * const change = useCatalogChange(useSetPolicy(), { onDone: (o) => o.outcome === "applied" && toast("saved") });
 * change.send({ strategy, policy });
 * return <CatalogChangeFeedback state={change.state} />;
 */
export function useCatalogChange<V extends CatalogChangeOptions>(
  mutation: UseMutationResult<CatalogChangeOutcome, unknown, V>,
  handlers: CatalogChangeHandlers<V> = {},
) {
  const [outcome, setOutcome] = useState<CatalogChangeOutcome | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [last, setLast] = useState<V | null>(null);

  const send = async (vars: V) => {
    setOutcome(null);
    setFailure(null);
    setLast(vars);
    try {
      const done = await mutation.mutateAsync(vars);
      setOutcome(done);
      handlers.onDone?.(done, vars);
    } catch (error) {
      const answerable = isForcible(error) || isFrozen(error);
      if (!answerable && error instanceof ApiError && handlers.placeFieldErrors?.(error)) return;
      setFailure(error);
    }
  };
  const reset = () => {
    setOutcome(null);
    setFailure(null);
    setLast(null);
  };
  const state: CatalogChangeState = {
    outcome,
    failure,
    pending: mutation.isPending,
    retry: (options) => {
      if (last) void send({ ...last, ...options });
    },
  };
  return { send, reset, state };
}
