/** @module Deprecating a parameter, naming its replacement and why (POST .../parameters/{name}/deprecate). */
import { type CatalogChangeOptions, parameterPath, sendCatalogChange } from "./catalog-change";
import { useCatalogMutation } from "./catalog-mutation";

export type ParameterDeprecation = { how: { replacement?: string; reason: string } } & CatalogChangeOptions;

export function useDeprecateParameter(name: string) {
  return useCatalogMutation(({ how, ...options }: ParameterDeprecation) =>
    sendCatalogChange(`${parameterPath(name)}/deprecate`, "POST", how, options),
  );
}
