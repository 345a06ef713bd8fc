/**
 * @module The alert webhook (TRADAI_ALERT_WEBHOOK_URL): events on-call must hear about, such as a
 * break-glass or a lagging worker, POSTed as Slack-compatible JSON after they commit. Delivery failures are logged, never fatal.
 */
import type { FastifyBaseLogger } from "fastify";
import { trackedBreaker } from "../../resilience/breakers.js";

export interface AlertEvent {
  kind:
    | "break_glass"
    | "freeze_override"
    | "worker_lagging"
    | "worker_stale"
    | "worker_refused"
    | "worker_recovered"
    | "audit_chain_broken"
    | "audit_chain_verified"
    | "rollout_rolled_back"
    | "rollout_completed"
    | "rollout_blocked"
    | "schedule_refused"
    | "schedule_proposed";
  summary: string;
  [field: string]: unknown;
}

export interface Alerts {
  announce(event: AlertEvent): Promise<void>;
}

export function webhookAlerts(url: string | undefined, log: () => FastifyBaseLogger | undefined): Alerts {
  // A dead webhook fails fast after 5 failures in a row (the alert is still logged).
  const breaker = trackedBreaker("webhook");
  return {
    async announce(event) {
      log()?.warn({ alert: event }, event.summary);
      if (!url) return;
      try {
        await breaker.run(async () => {
          const response = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            // `text` makes it a Slack (and Mattermost, Teams workflow) incoming-webhook message as it is.
            body: JSON.stringify({ text: event.summary, source: "tradai", at: new Date().toISOString(), ...event }),
            signal: AbortSignal.timeout(5000),
          });
          if (response.status >= 500) throw new Error(`the alert webhook answered ${response.status}`);
          if (!response.ok) log()?.error({ status: response.status }, "the alert webhook refused an alert");
        });
      } catch (error) {
        log()?.error({ err: error }, "the alert webhook could not be reached");
      }
    },
  };
}
