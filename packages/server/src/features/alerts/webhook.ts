/**
 * @module The alert webhook (TRADAI_ALERT_WEBHOOK_URL): events on-call must hear about, such as a
 * break-glass, POSTed as JSON after they commit. Delivery failures are logged, never fatal.
 */
import type { FastifyBaseLogger } from "fastify";

export interface AlertEvent {
  kind: "break_glass" | "freeze_override";
  summary: string;
  [field: string]: unknown;
}

export interface Alerts {
  announce(event: AlertEvent): Promise<void>;
}

export function webhookAlerts(url: string | undefined, log: () => FastifyBaseLogger | undefined): Alerts {
  return {
    async announce(event) {
      log()?.warn({ alert: event }, event.summary);
      if (!url) return;
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ source: "tradai", at: new Date().toISOString(), ...event }),
          signal: AbortSignal.timeout(5000),
        });
        if (!response.ok) log()?.error({ status: response.status }, "the alert webhook refused an alert");
      } catch (error) {
        log()?.error({ err: error }, "the alert webhook could not be reached");
      }
    },
  };
}
