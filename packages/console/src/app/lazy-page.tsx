/** @module A page loaded on first visit: its own chunk, so the first load carries only what it shows. */
import { type ComponentType, type LazyExoticComponent, lazy } from "react";

export type LazyPage = LazyExoticComponent<ComponentType> & {
  /** Starts loading the page's code now (a second call, or React's own, reuses the same load). */
  preload(): Promise<unknown>;
};

/** A lazily loaded page from a module that exports it by `name`. */
export function page<Name extends string>(load: () => Promise<Record<Name, () => unknown>>, name: Name): LazyPage {
  return Object.assign(
    lazy(async () => ({ default: (await load())[name] as ComponentType })),
    { preload: load },
  );
}
