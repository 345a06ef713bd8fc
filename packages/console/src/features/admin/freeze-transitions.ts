/**
 * @module Keeps "active now" true to the clock while the environments tab is open: the server
 * computes it when asked, so the environments query is refreshed when a known window starts or
 * ends (and each minute while a recurring window exists, whose next start only the server knows).
 */
import { useQueryClient } from "@tanstack/react-query";
import type { EnvironmentView } from "@tradai/core";
import { useEffect } from "react";
import { environmentsKey } from "../environments/environments-query";

/** The next time a window starts or ends (ms), as far as the answer tells; null when none is known. */
export function nextTransition(environments: EnvironmentView[], now: number): number | null {
  const times = environments
    .flatMap((e) => e.freeze_windows)
    .flatMap((w) => [w.active_until, w.kind === "one-off" ? w.starts_at : null])
    .map((t) => (t ? Date.parse(t) : Number.NaN))
    .filter((t) => t > now);
  return times.length > 0 ? Math.min(...times) : null;
}

export function useFreezeTransitions(environments: EnvironmentView[] | undefined) {
  const client = useQueryClient();
  useEffect(() => {
    if (!environments) return;
    const now = Date.now();
    const next = nextTransition(environments, now);
    const recurring = environments.some((e) => e.freeze_windows.some((w) => w.kind === "recurring"));
    const delays = [next === null ? null : next - now + 1000, recurring ? 60_000 : null].filter(
      (d): d is number => d !== null,
    );
    if (delays.length === 0) return;
    // setTimeout takes at most 2^31-1 ms; a window further away is seen on a later refresh.
    const delay = Math.min(...delays, 2_147_000_000);
    const timer = setTimeout(() => void client.invalidateQueries({ queryKey: environmentsKey }), delay);
    return () => clearTimeout(timer);
  }, [environments, client]);
}
