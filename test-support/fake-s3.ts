/**
 * @module A stand-in S3-compatible object store (path-style PUT/GET of objects) over real HTTP on
 * loopback, for the S3 artifact store. A test double of an external system, not of our code.
 */
import { createServer, type Server } from "node:http";

export interface FakeS3 {
  url: string;
  objects: Map<string, string>;
  close(): Promise<void>;
}

export async function startFakeS3(): Promise<FakeS3> {
  const state: FakeS3 = { url: "", objects: new Map(), close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const key = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname.slice(1)); // bucket/key
      if (req.method === "PUT") {
        state.objects.set(key, Buffer.concat(chunks).toString("utf8"));
        res.writeHead(200, { etag: '"x"' });
        return res.end();
      }
      if (req.method === "GET" && state.objects.has(key)) {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(state.objects.get(key));
      }
      res.writeHead(404, { "content-type": "application/xml" });
      res.end(
        `<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>no such key</Message><Key>${key}</Key></Error>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  state.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}
