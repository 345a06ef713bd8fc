/** @module The periodic purge of explicitly deprecated versions past their TTL. */
import type { FastifyBaseLogger } from "fastify";
import type { ConfigService } from "./service.js";

export function startPurgeJob(configs: ConfigService, intervalMs: number, log: FastifyBaseLogger): { stop(): void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const purged = await configs.purgeExpired();
      for (const v of purged)
        log.info({ strategy: v.strategy_name, config_id: v.config_id }, "purged deprecated config version");
    } catch (error) {
      log.error({ err: error }, "purge of deprecated config versions failed; will retry");
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer) };
}
