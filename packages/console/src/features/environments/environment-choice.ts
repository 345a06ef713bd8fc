/**
 * @module Which environment the console looks at: the one this browser remembers, while it exists;
 * else the server's default one. Shared by the header's switcher and the first load's prefetch.
 */
import type { QueryClient } from "@tanstack/react-query";
import { type EnvironmentView, environmentsQuery } from "./environments-query";

const STORAGE_KEY = "tradai.environment";

export const rememberedEnvironment = (): string => localStorage.getItem(STORAGE_KEY) ?? "";

export function rememberEnvironment(name: string): void {
  localStorage.setItem(STORAGE_KEY, name);
}

/** A remembered environment that is gone is dropped for the server's default one. */
export function chooseEnvironment(items: readonly EnvironmentView[], chosen: string): string {
  if (items.some((e) => e.name === chosen)) return chosen;
  return items.find((e) => e.is_default)?.name ?? items[0]?.name ?? chosen;
}

/** The environment the page about to open will show (the environments are asked for at most once). */
export async function environmentToShow(client: QueryClient): Promise<string> {
  const { items } = await client.ensureQueryData(environmentsQuery);
  return chooseEnvironment(items, rememberedEnvironment());
}
