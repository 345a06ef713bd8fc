/**
 * @module The legacy mirror's loop: every mirror behind its feed is written (writer.ts), woken by
 * each change this replica hears of and by a timer. A failed write is kept with its error and
 * tried again later, 1 s then doubling up to a minute; the feed is the outbox, so a change made
 * while the legacy database was unreachable is written once it is back. Every replica runs it;
 * a lease decides which one writes.
 */
import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { Queryable } from "../../db/database.js";
import type { ChangeFeed } from "../distribution/feed.js";
import { resolveStrategy } from "../resolution/resolve.js";
import { legacyMirrorStore } from "./store.js";
import { writeLegacyRow } from "./writer.js";

/**
 * Longer than one write may take (connect 5 s, five statements of at most 15 s each): a lease runs
 * out only if its writer died. Progress is recorded only under the writer's own lease.
 */
const LEASE_SECONDS = 120;
const MAX_RETRY_SECONDS = 60;

export interface LegacyMirrorRunner {
  /** One pass over the mirrors due (the timer and the feed call it; tests may too). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

/** The URL of each environment's legacy database (TRADAI_LEGACY_MIRROR_URL[_ENV]); without: the mirror fails, saying so. */
export type LegacyMirrorUrls = Readonly<Record<string, string>>;

export const missingUrl = (environment: string) =>
  `no legacy database URL for ${environment}: set TRADAI_LEGACY_MIRROR_URL_${environment.toUpperCase().replace(/[^A-Z0-9]/g, "_")} or TRADAI_LEGACY_MIRROR_URL`;

export function startLegacyMirror(deps: {
  db: Queryable;
  urls: LegacyMirrorUrls;
  intervalMs: number;
  feed: ChangeFeed;
  log: () => FastifyBaseLogger | undefined;
  onOutcome?: (environment: string, outcome: "written" | "unchanged" | "failed") => void;
}): LegacyMirrorRunner {
  const store = legacyMirrorStore(deps.db);

  type Due = Awaited<ReturnType<typeof store.due>>[number];
  const mirrorOne = async (m: Due) => {
    const token = randomUUID();
    const claimed = await store.claim(m.environment, m.strategy, LEASE_SECONDS, token);
    if (!claimed) return; // another replica is writing it
    try {
      const url = deps.urls[m.environment];
      if (!url) throw new Error(missingUrl(m.environment));
      const resolved = await resolveStrategy(deps.db, m.strategy, m.environment, false);
      const changed = await writeLegacyRow(
        url,
        m.target,
        resolved.values,
        `mirrored by the TradAI platform: ${m.strategy} ${resolved.config_version_id} in ${m.environment} (change ${m.latest_seq}, resolved ${resolved.resolved_hash.slice(0, 12)})`,
      );
      await store.mirrored(m.environment, m.strategy, token, {
        seq: m.latest_seq,
        hash: resolved.resolved_hash,
        configId: resolved.config_version_id,
      });
      deps.onOutcome?.(m.environment, changed ? "written" : "unchanged");
    } catch (error) {
      const attempts = claimed.attempts + 1;
      const message = (error as Error).message || String(error);
      await store.failed(m.environment, m.strategy, token, {
        attempts,
        error: message,
        retryInSeconds: Math.min(MAX_RETRY_SECONDS, 2 ** (attempts - 1)),
      });
      deps.onOutcome?.(m.environment, "failed");
      deps
        .log()
        ?.warn(
          { environment: m.environment, strategy: m.strategy, attempts, err: error },
          "writing the legacy mirror failed; it is tried again",
        );
    }
  };

  let running: Promise<void> | undefined;
  let again = false;
  const runOnce = (): Promise<void> => {
    if (running) {
      again = true; // a change came while a pass ran: one more pass after it
      return running;
    }
    running = (async () => {
      do {
        again = false;
        for (const m of await store.due()) await mirrorOne(m);
      } while (again);
    })()
      .catch((error) => deps.log()?.error({ err: error }, "the legacy mirror pass failed"))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const unsubscribe = deps.feed.subscribe(() => void runOnce());
  const timer = setInterval(() => void runOnce(), deps.intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      unsubscribe();
      clearInterval(timer);
      await running;
    },
  };
}
