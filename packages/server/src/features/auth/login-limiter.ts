/**
 * @module Failed logins are limited per user name and per client address (rate-limiter-flexible,
 * in memory: a replica counts its own). Once over the limit, even the right password waits.
 */
import { RateLimiterMemory } from "rate-limiter-flexible";
import { TooManyRequestsError } from "../../http/errors.js";

const WINDOW_SECONDS = 15 * 60;

export interface LoginLimiter {
  /** @throws TooManyRequestsError while the user or the address is locked out */
  check(username: string, address: string): Promise<void>;
  failed(username: string, address: string): Promise<void>;
  succeeded(username: string): Promise<void>;
}

export function loginLimiter(maxFailures: number): LoginLimiter {
  const perUser = new RateLimiterMemory({ keyPrefix: "user", points: maxFailures, duration: WINDOW_SECONDS });
  const perAddress = new RateLimiterMemory({ keyPrefix: "addr", points: maxFailures * 3, duration: WINDOW_SECONDS });
  const over = async (limiter: RateLimiterMemory, key: string) => {
    const state = await limiter.get(key);
    return state && state.consumedPoints >= limiter.points ? state.msBeforeNext : 0;
  };
  return {
    async check(username, address) {
      const wait = Math.max(await over(perUser, username), await over(perAddress, address));
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        throw new TooManyRequestsError(`too many failed logins; try again in ${seconds} s`, seconds);
      }
    },
    async failed(username, address) {
      await Promise.allSettled([perUser.consume(username), perAddress.consume(address)]);
    },
    async succeeded(username) {
      await perUser.delete(username);
    },
  };
}
