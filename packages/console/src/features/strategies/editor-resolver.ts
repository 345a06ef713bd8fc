/**
 * @module The parameter forms' resolver (the editor, a new strategy's first version): the checks of
 * ./editor-validation, whose code (core's catalog compiler, the CEL rule engine) loads on the
 * form's first validation rather than with the page, which shows the form without it.
 */
import type { CatalogParameter, CatalogPolicy, CatalogRule } from "@tradai/core";
import type { Resolver } from "react-hook-form";

type Values = Record<string, unknown>;

export function editorResolver(
  parameters: readonly CatalogParameter[],
  rules: readonly CatalogRule[],
  strategy: string,
  policy: CatalogPolicy,
): Resolver<Values> {
  let loaded: Promise<Resolver<Values>> | undefined;
  return async (values, context, options) => {
    loaded ??= Promise.all([import("./editor-validation"), import("@hookform/resolvers/zod")]).then(
      ([validation, { zodResolver }]) => zodResolver(validation.editorSchema(parameters, rules, strategy, policy)),
    );
    return (await loaded)(values, context, options);
  };
}
