/**
 * @module The floor of the propagation benchmark: a bare `node:http` SSE server in its own process
 * that, when told, builds one event frame (carrying the time its writing starts) and writes that
 * same frame to every connected client. No authentication, no database, no per-client work.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { now, serveRequests } from "./rpc.js";

const clients = new Set<ServerResponse>();

const server = createServer((_request, response) => {
  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
  });
  response.write("retry: 1000\n\n: open\n\n");
  clients.add(response);
  response.on("close", () => clients.delete(response));
});
// Same as the platform's stream: a comment now and then keeps idle streams alive.
setInterval(() => {
  for (const client of clients) client.write(": heartbeat\n\n");
}, 15_000).unref();

serveRequests({
  async listen() {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  },
  clients: () => clients.size,
  /** One frame of about `bytes` bytes, written to all; `t` is taken before it is built and written. */
  send(args: { index: number; bytes: number }) {
    const t = now();
    const head = `event: change\nid: ${args.index}\ndata: ${JSON.stringify({ i: args.index, t, pad: "" })}\n\n`;
    const pad = "x".repeat(Math.max(0, args.bytes - head.length));
    const frame = `event: change\nid: ${args.index}\ndata: ${JSON.stringify({ i: args.index, t, pad })}\n\n`;
    for (const client of clients) client.write(frame);
    return { t, clients: clients.size, write_loop_ms: now() - t, frame_bytes: Buffer.byteLength(frame) };
  },
});
