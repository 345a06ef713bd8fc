/**
 * @module What a page asks for first, asked for on the console's first load before the page
 * renders. Each page's `prefetch` lives outside the page's own chunk (it is part of the entry, so
 * keep what it imports light): its requests then leave with the session's, not after the page's
 * code has arrived and rendered, which on a phone's connection is a round trip or two later.
 */
import type { QueryClient } from "@tanstack/react-query";
import type { Params } from "react-router";
import { environmentToShow } from "@/features/environments/environment-choice";
import { parameterSetQuery } from "@/features/runs/parameter-set-query";
import { runQuery } from "@/features/runs/run-query";
import { strategyCatalogQuery } from "@/features/strategies/catalog-query";
import { environmentBaseQuery } from "@/features/strategies/environment-base-query";
import { resolvedQuery } from "@/features/strategies/resolve-query";
import { activeVersionQuery } from "@/features/strategies/versions-query";

/** What a page's data can depend on before it renders: its path's parameters and the environment shown. */
export interface PageAddress {
  params: Params;
  /** Calls back with the environment the page will show, once known (never if it cannot be had: the page then says why). */
  inEnvironment(then: (environment: string) => void): void;
}

export type PrefetchPage = (client: QueryClient, address: PageAddress) => void;

export const pageAddress = (client: QueryClient, params: Params): PageAddress => ({
  params,
  inEnvironment(then) {
    environmentToShow(client).then(then, () => undefined);
  },
});

/** The parameter editor: the strategy's catalog, and in the environment shown its active version, resolved config and base values. */
export const prefetchEditor: PrefetchPage = (client, { params, inEnvironment }) => {
  const strategy = params.strategy;
  if (!strategy) return;
  void client.prefetchQuery(strategyCatalogQuery(strategy));
  inEnvironment((environment) => {
    void client.prefetchQuery(activeVersionQuery(strategy, environment));
    void client.prefetchQuery(resolvedQuery(strategy, environment));
    void client.prefetchQuery(environmentBaseQuery(environment));
  });
};

/** One run: the run, then its parameter set. */
export const prefetchRun: PrefetchPage = (client, { params }) => {
  if (!params.jobId) return;
  client
    .fetchQuery(runQuery(params.jobId))
    .then((run) => client.prefetchQuery(parameterSetQuery(run.parameter_set_hash)))
    .catch(() => undefined);
};
