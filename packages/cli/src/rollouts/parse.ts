/**
 * @module The rollout command's words for steps and guards (a usage error names the flag):
 * `--step canary=true@10m`, `--step 25%@15m`, `--step 100%`; `--guard 'errors>2x@2m'` (the
 * canaries' mean above twice the others' for 2 minutes), `--guard 'drawdown_pct>5'` (any canary
 * above 5), `--guard stale`, `--guard violation`.
 */
import type { RolloutGuard, RolloutStep } from "@tradai/core";
import { InvalidArgumentError } from "commander";
import { durationSeconds } from "../input/environment-options.js";

const bake = (text: string | undefined) => (text === undefined ? 0 : text === "0" ? 0 : durationSeconds(text));

/** For commander (repeatable): one step, appended to those before. */
export function collectStep(text: string, steps: RolloutStep[] = []): RolloutStep[] {
  const [target = "", after] = text.split("@");
  let step: RolloutStep;
  const share = /^(\d+(?:\.\d+)?)%$/.exec(target.trim());
  if (share) {
    const value = Number(share[1]) / 100;
    if (!(value > 0 && value <= 1))
      throw new InvalidArgumentError(`a share is above 0% and at most 100%, not ${target}`);
    step = { share: value, bake_seconds: bake(after) };
  } else if (/^[a-z][a-z0-9_.-]*=[^,=]*(,[a-z][a-z0-9_.-]*=[^,=]*)*$/.test(target.trim())) {
    step = { selector: target.trim(), bake_seconds: bake(after) };
  } else {
    throw new InvalidArgumentError(`"${text}" is neither a share ("25%@15m") nor a label selector ("canary=true@10m")`);
  }
  return [...steps, step];
}

/** For commander (repeatable): one guard, appended to those before. */
export function collectGuard(text: string, guards: RolloutGuard[] = []): RolloutGuard[] {
  const t = text.trim();
  if (t === "stale") return [...guards, { kind: "canary_stale" }];
  if (t === "violation") return [...guards, { kind: "apply_violation" }];
  const m = /^([a-z][a-z0-9_.-]*)\s*>\s*(-?\d+(?:\.\d+)?)(x)?\s*(?:@(\S+))?$/.exec(t);
  if (!m)
    throw new InvalidArgumentError(
      `"${text}" is not a guard: 'errors>2x@2m' (canaries against the rest), 'drawdown_pct>5' (any canary), 'stale' or 'violation'`,
    );
  const [, figure = "", value = "", ratio, after] = m;
  const forSeconds = after === undefined ? 0 : durationSeconds(after);
  if (ratio) {
    if (!(Number(value) > 1))
      throw new InvalidArgumentError(`a ratio against the other workers is above 1, not ${value}x`);
    return [...guards, { kind: "figure_vs_baseline", figure, ratio: Number(value), for_seconds: forSeconds }];
  }
  return [...guards, { kind: "figure_above", figure, above: Number(value), for_seconds: forSeconds }];
}
