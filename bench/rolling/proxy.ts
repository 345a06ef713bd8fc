/**
 * @module A round-robin TCP proxy in front of the replicas, as a Kubernetes Service is: each new
 * connection goes to the next replica in the pool; a replica taken out of the pool gets no new
 * connection (its open ones go on until it closes them). It counts the connections each replica
 * got, by second, so a reconnect burst can be measured.
 */
import { connect, createServer, type Socket } from "node:net";

export interface Backend {
  name: string;
  host: string;
  port: number;
}

export interface Proxy {
  url: string;
  add(backend: Backend): void;
  remove(name: string): void;
  /** Connections opened to each replica, by whole second since the proxy started. */
  opened(): Map<string, Map<number, number>>;
  close(): Promise<void>;
}

export const backendOf = (name: string, url: string): Backend => {
  const u = new URL(url);
  return { name, host: u.hostname === "0.0.0.0" ? "127.0.0.1" : u.hostname, port: Number(u.port) };
};

export async function startProxy(initial: Backend[]): Promise<Proxy> {
  const pool = [...initial];
  let next = 0;
  const counts = new Map<string, Map<number, number>>();
  const started = Date.now();
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    // Tries each replica of the pool once, from the next one round the circle.
    const tryFrom = (attempt: number) => {
      if (pool.length === 0 || attempt >= pool.length) return client.destroy();
      const backend = pool[(next + attempt) % pool.length] as Backend;
      const upstream = connect(backend.port, backend.host);
      let connected = false;
      upstream.once("connect", () => {
        connected = true;
        next = (next + attempt + 1) % Math.max(1, pool.length);
        const second = Math.floor((Date.now() - started) / 1000);
        const byName = counts.get(backend.name) ?? new Map<number, number>();
        byName.set(second, (byName.get(second) ?? 0) + 1);
        counts.set(backend.name, byName);
        sockets.add(upstream);
        upstream.on("close", () => sockets.delete(upstream));
        client.pipe(upstream).pipe(client);
        client.on("error", () => upstream.destroy());
      });
      upstream.on("error", () => {
        if (connected) client.destroy();
        else tryFrom(attempt + 1); // not listening (any more): the next one
      });
    };
    tryFrom(0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
    add: (backend) => pool.push(backend),
    remove: (name) => {
      const at = pool.findIndex((b) => b.name === name);
      if (at >= 0) pool.splice(at, 1);
    },
    opened: () => counts,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
