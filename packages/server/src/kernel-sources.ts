/**
 * @module What the change kernel reads, from the features that own it: environment policies and
 * freezes, the catalog's governance, and resolution. Wired here so the kernel imports no feature.
 */
import type { KernelSources } from "./changes/sources.js";
import { parameterGovernanceOf } from "./features/catalog/checks.js";
import { activeFreeze, policyGovernance } from "./features/environments/service.js";
import { resolutionInputs, resolveMany } from "./features/resolution/resolve.js";
import { rolloutsAt } from "./features/rollouts/resolve.js";
import { servedValue } from "./features/runs/served.js";

export const kernelSources = (): KernelSources => ({
  policies: policyGovernance,
  activeFreeze,
  parameters: parameterGovernanceOf,
  inputs: resolutionInputs,
  resolve: resolveMany,
  rollouts: rolloutsAt,
  servedValue,
});
