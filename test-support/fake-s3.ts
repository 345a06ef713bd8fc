/**
 * @module A stand-in S3-compatible object store (path-style PUT/GET of objects, ListObjectsV2 in
 * pages of 2 so paging is exercised) over real HTTP on loopback, for the S3 artifact store and the
 * legacy config bucket. A test double of an external system, not of our code.
 */
import { createServer, type Server } from "node:http";

export interface FakeS3 {
  url: string;
  objects: Map<string, string>;
  close(): Promise<void>;
}

const PAGE = 2;
const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function listing(objects: Map<string, string>, bucket: string, params: URLSearchParams): string {
  const prefix = params.get("prefix") ?? "";
  const all = [...objects.keys()]
    .filter((k) => k.startsWith(`${bucket}/`))
    .map((k) => k.slice(bucket.length + 1))
    .filter((k) => k.startsWith(prefix))
    .sort();
  const from = Number(params.get("continuation-token") ?? "0");
  const page = all.slice(from, from + PAGE);
  const truncated = from + PAGE < all.length;
  return `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${PAGE}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${from + PAGE}</NextContinuationToken>` : ""}${page.map((k) => `<Contents><Key>${xml(k)}</Key><Size>${objects.get(`${bucket}/${k}`)?.length ?? 0}</Size></Contents>`).join("")}</ListBucketResult>`;
}

export async function startFakeS3(): Promise<FakeS3> {
  const state: FakeS3 = { url: "", objects: new Map(), close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const key = decodeURIComponent(url.pathname.slice(1)); // bucket/key
      if (req.method === "GET" && url.searchParams.get("list-type") === "2") {
        res.writeHead(200, { "content-type": "application/xml" });
        return res.end(listing(state.objects, key.replace(/\/$/, ""), url.searchParams));
      }
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
