/** @module The text of a PDF, for tests: its content streams inflated and their text operators read back. */
import { inflateSync } from "node:zlib";

/** The text a PDF shows: every (hex or literal) string of its TJ/Tj operators, one line per operator. */
export function pdfText(bytes: Buffer): string {
  const raw = bytes.toString("latin1");
  const streams: string[] = [];
  const streamPattern = /<<([\s\S]*?)>>\s*stream\r?\n/g;
  for (let match = streamPattern.exec(raw); match; match = streamPattern.exec(raw)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf("endstream", start);
    const body = bytes.subarray(start, end);
    if (/\/FlateDecode/.test(match[1] ?? "")) {
      try {
        streams.push(inflateSync(body).toString("latin1"));
      } catch {
        // not a content stream we can read (a font program, say)
      }
    } else streams.push(body.toString("latin1"));
  }
  const lines: string[] = [];
  for (const content of streams) {
    for (const op of content.matchAll(/\[([^\]]*)\]\s*TJ|(<[0-9a-fA-F]*>|\((?:\\.|[^\\)])*\))\s*Tj/g)) {
      const parts = (op[1] ?? op[2] ?? "").match(/<[0-9a-fA-F]*>|\((?:\\.|[^\\)])*\)/g) ?? [];
      lines.push(
        parts
          .map((part) =>
            part.startsWith("<")
              ? Buffer.from(part.slice(1, -1), "hex").toString("latin1")
              : part.slice(1, -1).replace(/\\(.)/g, "$1"),
          )
          .join(""),
      );
    }
  }
  return lines.join("\n");
}
