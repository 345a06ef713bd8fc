/**
 * @module Live updates: one Server-Sent Events connection (GET /api/v1/stream/notices) tells of
 * every change in every environment. Each notice refreshes the queries that show configs,
 * versions, change requests, workers, the catalog and the audit trail, so every open page follows
 * without a reload. One connection per tab, not one per environment: browsers allow only six
 * HTTP/1.1 connections per server, and a second tab must still be able to load.
 */
import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { GOVERNED_QUERY_ROOTS } from "../governance/invalidate-governed";

/**
 * Query-key roots that depend on what the change feed announces: what any governed change alters
 * (environments among them: freeze windows open and close with the clock, looked at again on each
 * change too), and the workers, who report what they applied.
 */
export const LIVE_QUERY_ROOTS = [...GOVERNED_QUERY_ROOTS, "workers"];

export type LiveStatus = "connecting" | "live" | "reconnecting";

/** What the server says of a change (no values). */
export interface LiveChange {
  seq: number;
  kind: string;
  environment: string | null;
  strategy: string | null;
  config_id: string | null;
  actor: string;
}

const Context = createContext<{ status: LiveStatus; last: LiveChange | null }>({ status: "connecting", last: null });

function refresh(client: QueryClient) {
  for (const root of LIVE_QUERY_ROOTS) void client.invalidateQueries({ queryKey: [root] });
}

export function LiveUpdatesProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const [last, setLast] = useState<LiveChange | null>(null);

  useEffect(() => {
    // EventSource reconnects by itself. Notices are not replayed, so a reconnection reloads what
    // the page shows: whatever happened meanwhile is then on screen.
    const source = new EventSource("/api/v1/stream/notices");
    let connectedBefore = false;
    source.addEventListener("hello", () => {
      setStatus("live");
      if (connectedBefore) refresh(client);
      connectedBefore = true;
    });
    source.onerror = () => setStatus("reconnecting");
    source.addEventListener("change", (message) => {
      setLast(JSON.parse((message as MessageEvent<string>).data) as LiveChange);
      refresh(client);
    });
    return () => source.close();
  }, [client]);

  return <Context.Provider value={{ status, last }}>{children}</Context.Provider>;
}

export function useLive() {
  return useContext(Context);
}
