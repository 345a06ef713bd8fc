/**
 * @module The tamper alarm. Tampering used to show only when someone ran `tradai audit verify`;
 * this replica now checks by itself:
 * - new entries as they come (each one's commit notifies every replica), each against its
 *   predecessor, from the last entry it verified (so an entry rewritten since is caught too);
 * - the whole chain at start and every TRADAI_AUDIT_VERIFY_INTERVAL, and that the last entry it
 *   verified still has the hash it had then;
 * - and, when TRADAI_AUDIT_ANCHOR_SINK is set, writes the verified head outside the database every
 *   TRADAI_AUDIT_ANCHOR_INTERVAL (when it moved).
 * A break is said on `/metrics` (`tradai_audit_chain_ok` 0), through the alert webhook, and by
 * GET /api/v1/audit/status (the console's dashboard). A check the database could not answer is
 * logged and tried again later: an outage is not tampering.
 */
import type { AuditChainStatus } from "@tradai/core";
import type { FastifyBaseLogger } from "fastify";
import { AUDIT_CHANNEL } from "../../changes/audit-writer.js";
import type { Database } from "../../db/database.js";
import type { Alerts } from "../alerts/webhook.js";
import type { AnchorSink } from "./anchor-sink.js";
import { type ChainPoint, GENESIS, verifyChainFrom } from "./verify.js";

export interface AuditWatchMetrics {
  chainOk(ok: boolean): void;
  headSeq(seq: number): void;
  anchored(seq: number): void;
  anchorFailed(): void;
}

export interface AuditWatchOptions {
  db: Database;
  /** The whole chain is checked this often (ms). */
  verifyIntervalMs: number;
  anchors?: { sink: AnchorSink; intervalMs: number };
  alerts: Alerts;
  metrics: AuditWatchMetrics;
  log: () => FastifyBaseLogger | undefined;
}

export interface AuditWatch {
  status(): AuditChainStatus;
  /** Checks the entries written since the last check (done on each new entry's notification). */
  newEntries(): void;
  /** Checks the whole chain now; resolves when done. */
  fullCheck(): Promise<void>;
  stop(): Promise<void>;
}

export async function auditWatch(options: AuditWatchOptions): Promise<AuditWatch> {
  const { db, alerts, metrics, log } = options;
  let verified: ChainPoint = GENESIS;
  const state: AuditChainStatus = {
    ok: true,
    head_seq: 0,
    last_full_check_at: null,
    last_check_at: null,
    first_broken: null,
    anchor: null,
  };
  let running: Promise<void> = Promise.resolve();
  let newPending = false;
  let stopped = false;

  const found = (
    result: { ok: boolean; first_broken: AuditChainStatus["first_broken"]; last: ChainPoint },
    full: boolean,
  ) => {
    const wasOk = state.ok;
    const now = new Date().toISOString();
    state.last_check_at = now;
    if (full) state.last_full_check_at = now;
    if (result.ok) {
      verified = result.last;
      state.head_seq = result.last.seq;
      metrics.headSeq(result.last.seq);
      // Only a full check clears an alarm: the chain holds again from its first entry (restored).
      if (full && !wasOk) {
        state.ok = true;
        state.first_broken = null;
        metrics.chainOk(true);
        void alerts.announce({
          kind: "audit_chain_verified",
          summary: `audit chain verified again in full, up to entry ${result.last.seq}`,
          head_seq: result.last.seq,
        });
      }
      return;
    }
    state.ok = false;
    state.first_broken = result.first_broken;
    metrics.chainOk(false);
    if (wasOk) {
      const broken = result.first_broken;
      void alerts.announce({
        kind: "audit_chain_broken",
        summary: `AUDIT CHAIN BROKEN at entry ${broken?.seq}: ${broken?.problem}. Someone may have altered the audit trail in the database.`,
        seq: broken?.seq,
        problem: broken?.problem,
      });
    }
  };

  /** One check at a time; a failure to read is logged, not taken for tampering. */
  const serially = (what: string, check: () => Promise<void>) => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        await check();
      } catch (error) {
        log()?.warn({ err: error }, `audit chain: the ${what} could not run (tried again later)`);
      }
    });
    return running;
  };

  const fullCheck = () =>
    serially("full check", async () => {
      const remembered = verified;
      const result = await verifyChainFrom(db);
      if (result.ok && remembered.seq > 0) {
        // Rewritten consistently from some entry on? Not the one this replica verified before.
        const { rows } = await db.query<{ hash: string }>("SELECT hash FROM audit_entries WHERE seq = $1", [
          remembered.seq,
        ]);
        if (rows[0]?.hash !== remembered.hash) {
          return found(
            {
              ok: false,
              first_broken: {
                seq: remembered.seq,
                problem: `entry ${remembered.seq} no longer has the hash it had when this server verified it (the chain was rewritten from there or before)`,
              },
              last: remembered,
            },
            true,
          );
        }
      }
      found(result, true);
    });

  const newEntries = () => {
    if (newPending || !state.ok) return;
    newPending = true;
    void serially("check of new entries", async () => {
      newPending = false;
      found(await verifyChainFrom(db, verified), false);
    });
  };

  const anchorNow = () =>
    serially("anchor", async () => {
      const anchors = options.anchors;
      if (!anchors || !state.ok || verified.seq === 0 || state.anchor?.seq === verified.seq) return;
      const { rows } = await db.query<{ at: Date }>("SELECT at FROM audit_entries WHERE seq = $1", [verified.seq]);
      const anchor = {
        seq: verified.seq,
        hash: verified.hash,
        at: rows[0]?.at.toISOString() ?? "",
        anchored_at: new Date().toISOString(),
      };
      try {
        await anchors.sink.write(anchor);
      } catch (error) {
        metrics.anchorFailed();
        throw error;
      }
      state.anchor = { seq: anchor.seq, hash: anchor.hash, anchored_at: anchor.anchored_at, sink: anchors.sink.name };
      metrics.anchored(anchor.seq);
    });

  metrics.chainOk(true);
  // Every replica hears of every entry (a lost connection: caught up by the next check).
  const unlisten = await db.listen(AUDIT_CHANNEL, { onNotify: newEntries, onReconnected: newEntries });
  void fullCheck().then(anchorNow);
  const fullTimer = setInterval(() => void fullCheck(), options.verifyIntervalMs);
  fullTimer.unref();
  const anchorTimer = options.anchors ? setInterval(() => void anchorNow(), options.anchors.intervalMs) : undefined;
  anchorTimer?.unref();

  return {
    status: () => ({ ...state }),
    newEntries,
    fullCheck,
    async stop() {
      await unlisten();
      clearInterval(fullTimer);
      if (anchorTimer) clearInterval(anchorTimer);
      // The head as this replica leaves it, kept outside too.
      await anchorNow();
      stopped = true;
      await running;
    },
  };
}
