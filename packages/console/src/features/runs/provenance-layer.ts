/**
 * @module The layers a parameter set's value can come from (core's `provenanceLayer`): the tone of
 * each one's badge and what it means in words. The badge shows the layer's name as the API gives it.
 */
import type { ProvenanceLayer } from "@tradai/core";

export const LAYER_TONES: Record<ProvenanceLayer, "neutral" | "info" | "success" | "warning"> = {
  catalog_default: "neutral",
  environment_base: "warning",
  config_version: "success",
  request: "info",
  held_for_restart: "warning",
  held_between_trades: "warning",
  held_shadow: "neutral",
  reported: "neutral",
};

export const LAYER_MEANINGS: Record<ProvenanceLayer, string> = {
  catalog_default: "the catalog's default",
  environment_base: "the environment's base values",
  config_version: "the config version",
  request: "the run's own request",
  held_for_restart: "held for a restart: an older value the worker keeps until it restarts",
  held_between_trades: "held between trades: an older value the worker keeps until it holds no open trade",
  held_shadow: "held, shadow: the value in use of a shadow parameter, whose changes the worker never applies",
  reported: "reported: the value as the worker reported it, from a config no change recorded",
};

export const isProvenanceLayer = (layer: string): layer is ProvenanceLayer => Object.hasOwn(LAYER_TONES, layer);
