import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CSV_HEADER, csvFileName, readCsvCandles } from "../../src/candles/csv.js";

const START = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

function dataDir(rows: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "tradai-csv-"));
  writeFileSync(join(dir, csvFileName("BTC/USDT:USDT", "1h")), `${[CSV_HEADER, ...rows].join("\n")}\n`);
  return dir;
}

describe("CSV candles", () => {
  it("names files after the pair and timeframe", () => {
    expect(csvFileName("BTC/USDT:USDT", "1h")).toBe("BTC_USDT_USDT-1h.csv");
  });

  it("reads epoch-ms and ISO timestamps and keeps only the run's range (end exclusive)", () => {
    const dir = dataDir([
      `${START - HOUR},1,1,1,1,1`,
      `${START},10,12,9,11,5`,
      "2024-01-01T01:00:00Z,11,11,10,10.5,6",
      "2024-01-01 03:00:00+00:00,10.5,11,10,10.8,7", // a gap of two candles is fine
      `${START + 4 * HOUR},1,1,1,1,1`,
    ]);
    const { candles, sha256 } = readCsvCandles(dir, "BTC/USDT:USDT", "1h", START, START + 4 * HOUR);
    expect(candles.map((c) => c.time)).toEqual([START, START + HOUR, START + 3 * HOUR]);
    expect(candles[0]).toEqual({ time: START, open: 10, high: 12, low: 9, close: 11, volume: 5 });
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("reads quoted fields (RFC 4180): quoted values, a comma and a line break inside quotes, CRLF, a BOM", () => {
    const dir = mkdtempSync(join(tmpdir(), "tradai-csv-"));
    const text = [
      '\uFEFF"timestamp","open","high","low","close","volume"',
      `"${START}","10","12","9","11","5"`,
      '"2024-01-01T01:00:00Z",11,11,10,10.5,6',
      "",
    ].join("\r\n");
    writeFileSync(join(dir, csvFileName("BTC/USDT:USDT", "1h")), text);
    const { candles } = readCsvCandles(dir, "BTC/USDT:USDT", "1h", START, START + 2 * HOUR);
    expect(candles.map((c) => [c.time, c.close])).toEqual([
      [START, 11],
      [START + HOUR, 10.5],
    ]);
    // A comma or a line break inside quotes stays in its field: here it makes the volume no number,
    // and the error names the row's line (for a row over several lines: its last).
    const odd = dataDir([`${START},10,12,9,11,"5,5"`, `${START + HOUR},10,12,9,11,"6\n6"`]);
    expect(() => readCsvCandles(odd, "BTC/USDT:USDT", "1h", START, START + 2 * HOUR)).toThrow(
      /:2: open, high, low, close and volume must be numbers/,
    );
    const unclosed = dataDir([`${START},10,12,9,11,"5`]);
    expect(() => readCsvCandles(unclosed, "BTC/USDT:USDT", "1h", START, START + HOUR)).toThrow(/not valid CSV/);
  });

  it.each([
    [["1704067200,1,1,1,1,1"], /epoch seconds/],
    [["2024-01-01T00:00:00,1,1,1,1,1"], /ISO-8601 with an offset/],
    [[`${START},1,2,0.5,3,1`], /low\/high/],
    [[`${START},1,1,1,1,1`, `${START + 30 * 60_000},1,1,1,1,1`], /1h apart/],
    [[`${START},1,1,1,x,1`], /must be numbers/],
  ])("refuses bad rows with the file and line: %j", (rows, problem) => {
    const dir = dataDir(rows);
    expect(() => readCsvCandles(dir, "BTC/USDT:USDT", "1h", START, START + 24 * HOUR)).toThrow(problem);
    expect(() => readCsvCandles(dir, "BTC/USDT:USDT", "1h", START, START + 24 * HOUR)).toThrow(
      /BTC_USDT_USDT-1h\.csv:\d/,
    );
  });

  it("names the missing file", () => {
    const dir = mkdtempSync(join(tmpdir(), "tradai-csv-"));
    expect(() => readCsvCandles(dir, "ETH/USDT", "4h", START, START + HOUR)).toThrow(join(dir, "ETH_USDT-4h.csv"));
  });
});
