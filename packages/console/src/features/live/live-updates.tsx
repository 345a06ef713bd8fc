/**
 * @module Live updates: one Server-Sent Events stream per environment (GET /api/v1/stream). Each
 * change the server announces refreshes the queries that show configs, versions, change requests,
 * workers and the audit trail, so every open page follows without a reload.
 */
import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { useEnvironments } from "../environments/environments-query";

/** Query-key roots that depend on what the change feed announces. */
export const LIVE_QUERY_ROOTS = [
  "configs",
  "versions",
  "change-requests",
  "workers",
  "audit",
  "resolve",
  "dashboard",
  "catalog",
  // Freeze windows open and close with the clock, not with events: looked at again on each change too.
  "environments",
];

export type LiveStatus = "connecting" | "live" | "reconnecting";

export interface LiveChange {
  seq: number;
  environment: string;
  strategy: string;
  at: number;
}

const Context = createContext<{ status: LiveStatus; last: LiveChange | null }>({ status: "connecting", last: null });

function refresh(client: QueryClient) {
  for (const root of LIVE_QUERY_ROOTS) void client.invalidateQueries({ queryKey: [root] });
}

export function LiveUpdatesProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const environments = useEnvironments();
  const names = (environments.data?.items ?? []).map((e) => e.name).join(",");
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const [last, setLast] = useState<LiveChange | null>(null);

  useEffect(() => {
    if (!names) return;
    const sources = names.split(",").map((environment) => {
      // EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed.
      const source = new EventSource(`/api/v1/stream?environment=${encodeURIComponent(environment)}`);
      source.onopen = () => setOpen((o) => ({ ...o, [environment]: true }));
      source.onerror = () => setOpen((o) => ({ ...o, [environment]: false }));
      source.addEventListener("change", (message) => {
        const event = JSON.parse((message as MessageEvent<string>).data) as { seq: number; strategy: string };
        setLast({ seq: event.seq, environment, strategy: event.strategy, at: Date.now() });
        refresh(client);
      });
      return source;
    });
    return () => {
      for (const source of sources) source.close();
    };
  }, [names, client]);

  const states = Object.values(open);
  const status: LiveStatus = states.length === 0 ? "connecting" : states.every(Boolean) ? "live" : "reconnecting";
  return <Context.Provider value={{ status, last }}>{children}</Context.Provider>;
}

export function useLive() {
  return useContext(Context);
}
