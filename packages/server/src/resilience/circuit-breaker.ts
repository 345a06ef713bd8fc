/**
 * @module A circuit breaker around a dependency (the database, S3, MLflow, the alert webhook).
 * After `failureThreshold` failures in a row it opens: calls fail at once with `BreakerOpenError`
 * instead of each waiting out a timeout, which keeps a fleet's requests from piling up behind a
 * dead dependency. After `openMs` it lets one call through (half-open): success closes it, failure
 * opens it again. Only failures that say the dependency is unavailable count (`isFailure`); a
 * refusal (a constraint, a 404) is an answer, not an outage.
 */

export type BreakerState = "closed" | "open" | "half_open";

export class BreakerOpenError extends Error {
  readonly code = "BREAKER_OPEN";
  constructor(
    readonly dependency: string,
    /** ms until it lets a call through again */
    readonly retryInMs: number,
  ) {
    super(
      `${dependency} is unavailable (circuit open after repeated failures); trying it again in ${Math.ceil(retryInMs / 1000)} s`,
    );
    this.name = "BreakerOpenError";
  }
}

export interface BreakerOptions {
  /** failures in a row that open it */
  failureThreshold?: number;
  /** how long it stays open before a probe (ms) */
  openMs?: number;
  /** which errors count as the dependency failing (default: all) */
  isFailure?: (error: unknown) => boolean;
  /** told of every change of state */
  onState?: (state: BreakerState) => void;
  now?: () => number;
}

export interface CircuitBreaker {
  readonly dependency: string;
  readonly state: BreakerState;
  run<T>(call: () => Promise<T>): Promise<T>;
}

export function circuitBreaker(dependency: string, options: BreakerOptions = {}): CircuitBreaker {
  const threshold = options.failureThreshold ?? 5;
  const openMs = options.openMs ?? 5000;
  const isFailure = options.isFailure ?? (() => true);
  const now = options.now ?? Date.now;
  let state: BreakerState = "closed";
  let failures = 0;
  let openedAt = 0;
  let probing = false;

  const become = (next: BreakerState) => {
    if (next === state) return;
    state = next;
    options.onState?.(next);
  };

  return {
    dependency,
    get state() {
      return state;
    },
    async run(call) {
      if (state === "open") {
        const waited = now() - openedAt;
        if (waited < openMs) throw new BreakerOpenError(dependency, openMs - waited);
        become("half_open");
      }
      // Half-open: one probe at a time; the others fail fast until it answers.
      if (state === "half_open") {
        if (probing) throw new BreakerOpenError(dependency, 0);
        probing = true;
      }
      const probe = state === "half_open";
      try {
        const result = await call();
        failures = 0;
        become("closed");
        return result;
      } catch (error) {
        if (isFailure(error)) {
          failures += 1;
          if (probe || failures >= threshold) {
            openedAt = now();
            become("open");
          }
        } else if (probe) {
          // An answer, even a refusal: the dependency is there.
          failures = 0;
          become("closed");
        }
        throw error;
      } finally {
        if (probe) probing = false;
      }
    },
  };
}
