/** @module A rollout's state as a badge: running, paused, completed, rolled back, aborted. */
import type { RolloutView } from "@tradai/core";
import { Badge } from "@/components/ui/badge";

const TONES = {
  running: "info",
  paused: "warning",
  completed: "success",
  rolled_back: "danger",
  aborted: "neutral",
} as const;

export function RolloutStateBadge({ state }: { state: RolloutView["state"] }) {
  return (
    <Badge tone={TONES[state]} data-cell="state">
      {state.replace("_", " ")}
    </Badge>
  );
}
