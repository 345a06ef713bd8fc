/** @module Saving a parameter's definition: POST /api/v1/catalog adds one, PUT .../parameters/{name} replaces one. */
import type { CatalogParameterInput } from "@tradai/core";
import { type CatalogChangeOptions, parameterPath, sendCatalogChange } from "./catalog-change";
import { useCatalogMutation } from "./catalog-mutation";

export type ParameterSave = { parameter: CatalogParameterInput } & CatalogChangeOptions;

export function useSaveParameter(mode: "create" | "update") {
  return useCatalogMutation(({ parameter, ...options }: ParameterSave) =>
    mode === "create"
      ? sendCatalogChange("/api/v1/catalog", "POST", parameter, options)
      : sendCatalogChange(parameterPath(parameter.name), "PUT", parameter, options),
  );
}
