/** @module A page loaded on first visit: its own chunk, so the first load carries only what it shows. */
import type { QueryClient } from "@tanstack/react-query";
import { type ComponentType, type LazyExoticComponent, lazy } from "react";
import type { Params } from "react-router";

/** What a page's data can depend on before it renders: its path's parameters and the environment shown. */
export interface PageAddress {
  params: Params;
  /** Calls back with the environment the page will show, once the environments are known (never if they cannot be had: the page then says why). */
  inEnvironment(then: (environment: string) => void): void;
}

/**
 * A page module may export `prefetch`: it asks for what the page's first render will ask for, so
 * that on the console's first load the data is requested when the page's code arrives (alongside
 * the session), not one round trip later, after the page has rendered.
 */
export type PrefetchPage = (client: QueryClient, address: PageAddress) => void;

interface PageModule {
  prefetch?: PrefetchPage;
}

export type LazyPage = LazyExoticComponent<ComponentType> & {
  /** Starts loading the page's code now (a second call, or React's own, reuses the same load). */
  preload(): Promise<PageModule>;
};

/** A lazily loaded page from a module that exports it by `name` (and maybe `prefetch`). */
export function page<Name extends string>(
  load: () => Promise<Record<Name, () => unknown> & PageModule>,
  name: Name,
): LazyPage {
  return Object.assign(
    lazy(async () => ({ default: (await load())[name] as ComponentType })),
    { preload: load },
  );
}
