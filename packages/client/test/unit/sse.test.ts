/**
 * The SSE reader follows the WHATWG event-stream rules (the cases of its parsing section): line
 * ends CR, LF and CRLF, a leading BOM, comments, multi-line data, fields without a value, the
 * space after the colon, `id:` and `retry:`, events split anywhere across chunks.
 */
import { describe, expect, it } from "vitest";
import { readSse, type SseMessage } from "../../src/subscriber/sse.js";

/** A body delivering `chunks` one by one (as bytes). */
function body(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function read(chunks: (string | Uint8Array)[]): Promise<{ messages: SseMessage[]; retries: number[] }> {
  const messages: SseMessage[] = [];
  const retries: number[] = [];
  for await (const m of readSse(body(chunks), { onRetry: (ms) => retries.push(ms) })) messages.push(m);
  return { messages, retries };
}

const msg = (data: string, event = "message", id?: string): SseMessage => ({ event, id, data });

describe("readSse (WHATWG event stream)", () => {
  it("reads LF, CRLF and lone CR line ends alike", async () => {
    for (const eol of ["\n", "\r\n", "\r"]) {
      const { messages } = await read([`event: change${eol}data: {"seq":1}${eol}${eol}data: two${eol}${eol}`]);
      expect(messages, JSON.stringify(eol)).toEqual([msg('{"seq":1}', "change"), msg("two")]);
    }
  });

  it("skips a leading byte order mark", async () => {
    const { messages } = await read([new Uint8Array([0xef, 0xbb, 0xbf]), "data: first\n\n"]);
    expect(messages).toEqual([msg("first")]);
  });

  it("joins multi-line data with LF, drops one space after the colon only, ignores comments and unknown fields", async () => {
    const { messages } = await read([": a comment\ndata:  two spaces\ndata\ndata:x\nfoo: bar\n\n"]);
    expect(messages).toEqual([msg(" two spaces\n\nx")]);
  });

  it("keeps the last event id for later events, and an empty id resets it", async () => {
    const { messages } = await read(["id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n"]);
    expect(messages.map((m) => m.id)).toEqual(["7", "7", undefined]);
  });

  it("dispatches nothing for a block without data, nor for an unfinished last block", async () => {
    const { messages } = await read(["event: ping\n\nretry: 1000\n\ndata: end"]);
    expect(messages).toEqual([]);
  });

  it("tells a retry: in milliseconds, and ignores one that is not all digits", async () => {
    const { retries } = await read(["retry: 1500\n\nretry: 2s\n\nretry: 250\n\n"]);
    expect(retries).toEqual([1500, 250]);
  });

  it("reassembles events and multi-byte characters split across chunks at any point", async () => {
    const text = "event: change\r\ndata: café ☕\r\n\r\n";
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const { messages } = await read([bytes.slice(0, cut), bytes.slice(cut)]);
      expect(messages, `cut at ${cut}`).toEqual([msg("café ☕", "change")]);
    }
  });
});
