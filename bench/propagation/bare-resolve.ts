/**
 * @module The baseline of the resolve poll path: a bare Fastify route in its own process that
 * answers GET /api/v1/resolve/:strategy with the bytes and headers the platform answered (200), or
 * 304 when If-None-Match is the entity tag. No authentication, no database, no schema.
 */
import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { serveRequests } from "./rpc.js";

interface Captured {
  etag: string;
  body: string;
  headers200: Record<string, string>;
  headers304: Record<string, string>;
}

serveRequests({
  async listen(captured: Captured) {
    const app = Fastify({ logger: false });
    app.get("/api/v1/resolve/:strategy", (request, reply) => {
      if (request.headers["if-none-match"] === captured.etag)
        return reply.headers(captured.headers304).code(304).send();
      return reply.headers(captured.headers200).send(captured.body);
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  },
});
