/** @module A loopback HTTP endpoint that records what is POSTed to it (an alert webhook's receiver). */
import { createServer } from "node:http";

export interface WebhookSink {
  url: string;
  received: unknown[];
  close(): Promise<void>;
}

export async function startWebhookSink(): Promise<WebhookSink> {
  const received: unknown[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    received,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
