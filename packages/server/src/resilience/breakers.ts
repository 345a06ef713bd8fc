/**
 * @module The circuit breakers of this process, for `/metrics` (`tradai_circuit_state`) and for
 * readiness. Each dependency has its own (several in one process, e.g. tests' platforms: the
 * worst state of a dependency is reported).
 */
import { type BreakerOptions, type BreakerState, type CircuitBreaker, circuitBreaker } from "./circuit-breaker.js";

const breakers = new Set<CircuitBreaker>();

/** A breaker counted in this process's states; `forget` it when its dependency is closed. */
export function trackedBreaker(dependency: string, options: BreakerOptions = {}): CircuitBreaker & { forget(): void } {
  const breaker = circuitBreaker(dependency, options);
  breakers.add(breaker);
  return Object.assign(breaker, { forget: () => void breakers.delete(breaker) });
}

const RANK: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

/** Each dependency's worst state: 0 closed, 1 half-open, 2 open. */
export function breakerStates(): Map<string, number> {
  const states = new Map<string, number>();
  for (const b of breakers) states.set(b.dependency, Math.max(states.get(b.dependency) ?? 0, RANK[b.state]));
  return states;
}
