/** @module A page loaded on first visit: its own chunk, so the first load carries only what it shows. */
import { type ComponentType, lazy } from "react";

/** A lazily loaded page from a module that exports it by `name`. */
export function page<Name extends string>(load: () => Promise<Record<Name, () => unknown>>, name: Name) {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}
