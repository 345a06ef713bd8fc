/**
 * @module The catalog part of the API client: parameters, coherence rules, strategy policies,
 * revisions. Every change takes `forceReason` to apply it even though active versions would become
 * invalid (without it the server answers 409 naming them); a change that alters a critical value or
 * weakens governance answers with a change request instead (see `isProposed`).
 * @example
 * const api = createApiClient({ baseUrl: "http://localhost:8000" });
 * const { revision } = await api.createParameter({ name: "risk.stoploss", type: "number", description: "..." });
 */
import type {
  CatalogChangeResponse,
  CatalogParameter,
  CatalogParameterInput,
  CatalogPolicy,
  CatalogRevisionDiff,
  CatalogRule,
  ParameterType,
  ShadowKeySummary,
  VariantGrid,
} from "@tradai/core";
import type { ApiCall } from "./api-client.js";
import type { Governed } from "./governance-client.js";

/** One parameter with the revisions that created and last changed it. */
export interface CatalogEntry {
  parameter: CatalogParameter;
  created_revision: number;
  updated_revision: number;
}

export interface CatalogListing {
  /** The catalog's current revision (0: empty). */
  revision: number;
  items: CatalogEntry[];
  /** Strategies with a policy; the others are open. */
  policies: Record<string, CatalogPolicy>;
}

export interface CatalogFilter {
  group?: string | undefined;
  /** Parameters that apply to this strategy. */
  strategy?: string | undefined;
  type?: ParameterType | undefined;
  deprecated?: boolean | undefined;
  /** Text in the name or description. */
  q?: string | undefined;
}

export interface CatalogRuleList {
  revision: number;
  items: CatalogRule[];
}

export interface CatalogRevision {
  revision: number;
  created_at: string;
  created_by: string;
  summary: string;
  forced_reason: string | null;
}

export interface ForceOption {
  /** Apply even though active versions would become invalid, recording why. */
  forceReason?: string | undefined;
  /** Act in a frozen environment whose resolved configs the change alters (needs freezes.override). */
  freezeOverrideReason?: string | undefined;
}

/** The rule as sent: `strategies` may be left out (applies to every strategy). */
export type CatalogRuleInput = Omit<CatalogRule, "strategies"> & { strategies?: string[] | undefined };

export function catalogMethods(call: ApiCall) {
  const seg = encodeURIComponent;
  const force = (opts: ForceOption) => ({
    force_reason: opts.forceReason,
    freeze_override_reason: opts.freezeOverrideReason,
  });
  /** Every catalog change: applied (the new revision), or 202, a change request, where it needs four eyes. */
  type Change = Governed<CatalogChangeResponse>;

  return {
    listCatalog: (filter: CatalogFilter = {}) =>
      call<CatalogListing>("GET", "/api/v1/catalog", {
        ...filter,
        deprecated: filter.deprecated === undefined ? undefined : String(filter.deprecated),
      }),

    getParameter: (name: string) => call<CatalogEntry>("GET", `/api/v1/catalog/parameters/${seg(name)}`),

    /** Adds a parameter (a new catalog revision); 422 if it already exists. */
    createParameter: (definition: CatalogParameterInput, opts: ForceOption = {}) =>
      call<Change>("POST", "/api/v1/catalog", force(opts), JSON.stringify(definition)),

    /** Replaces a parameter's definition; `changed: false` when it is identical. */
    updateParameter: (definition: CatalogParameterInput, opts: ForceOption = {}) =>
      call<Change>(
        "PUT",
        `/api/v1/catalog/parameters/${seg(definition.name)}`,
        force(opts),
        JSON.stringify(definition),
      ),

    deprecateParameter: (
      name: string,
      how: { reason: string; replacement?: string | undefined },
      opts: ForceOption = {},
    ) => call<Change>("POST", `/api/v1/catalog/parameters/${seg(name)}/deprecate`, force(opts), JSON.stringify(how)),

    listRules: () => call<CatalogRuleList>("GET", "/api/v1/catalog/rules"),

    /** Adds or replaces a coherence rule (refused if it does not parse or names an unknown parameter). */
    saveRule: (rule: CatalogRuleInput, opts: ForceOption = {}) =>
      call<Change>("POST", "/api/v1/catalog/rules", force(opts), JSON.stringify(rule)),

    removeRule: (name: string) => call<Change>("DELETE", `/api/v1/catalog/rules/${seg(name)}`),

    /** strict: unknown keys are refused for the strategy; open: accepted. */
    setCatalogPolicy: (strategy: string, policy: CatalogPolicy, opts: ForceOption = {}) =>
      call<Change>("PUT", `/api/v1/catalog/policies/${seg(strategy)}`, force(opts), JSON.stringify({ policy })),

    /** Newest first. */
    variantGrid: (parameters: string[], strategy?: string) =>
      call<VariantGrid>("GET", "/api/v1/catalog/grid", { parameters: parameters.join(","), strategy }),
    catalogRevisions: () => call<{ items: CatalogRevision[] }>("GET", "/api/v1/catalog/revisions"),

    diffCatalogRevisions: (a: number, b: number) =>
      call<CatalogRevisionDiff>("GET", `/api/v1/catalog/revisions/${a}/diff/${b}`),
    /** Per shadow key: what workers would have applied, how often, on how many workers, how often mid-trade. */
    shadowEvidence: (filter: { environment?: string; since?: string } = {}) =>
      call<{ items: ShadowKeySummary[] }>("GET", "/api/v1/catalog/shadow", filter),
  };
}
