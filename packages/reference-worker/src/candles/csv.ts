/**
 * @module Candles from CSV files: `<DATA_DIR>/<pair with / and : as _>-<timeframe>.csv`, header
 * `timestamp,open,high,low,close,volume`, one candle per row, oldest first. `timestamp` is the
 * candle's open time: epoch milliseconds, or ISO-8601 with an explicit offset (`Z`, `+02:00`).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TIMEFRAME_MS, type Timeframe } from "@tradai/core";
import { parse } from "csv-parse/sync";
import { WorkerError } from "../errors.js";
import type { Candle } from "./candle.js";

export const CSV_HEADER = "timestamp,open,high,low,close,volume";
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Epoch values below this (1973-03-03 in ms) are almost surely seconds. */
const MIN_EPOCH_MS = 1e11;

export function csvFileName(pair: string, timeframe: Timeframe): string {
  return `${pair.replace(/[/:]/g, "_")}-${timeframe}.csv`;
}

export interface CsvCandles {
  path: string;
  /** SHA-256 of the whole file, so a result names exactly the data it used. */
  sha256: string;
  candles: Candle[];
}

function parseTimestamp(text: string): number | string {
  if (/^\d+$/.test(text)) {
    const ms = Number(text);
    return ms < MIN_EPOCH_MS ? `timestamp ${text} looks like epoch seconds; milliseconds expected` : ms;
  }
  if (!ISO_WITH_OFFSET.test(text)) return `timestamp ${text} is neither epoch ms nor ISO-8601 with an offset`;
  const ms = Date.parse(text.replace(" ", "T"));
  return Number.isNaN(ms) ? `timestamp ${text} is not a valid time` : ms;
}

/** A candle, or the reason the row is not one. */
function parseRow(fields: string[]): Candle | string {
  if (fields.length !== 6) return `expected 6 fields, found ${fields.length}`;
  const time = parseTimestamp(fields[0] ?? "");
  if (typeof time === "string") return time;
  const numbers = fields.slice(1).map((field) => (field === "" ? Number.NaN : Number(field)));
  if (!numbers.every((n) => Number.isFinite(n))) return "open, high, low, close and volume must be numbers";
  const [open, high, low, close, volume] = numbers as [number, number, number, number, number];
  if (Math.min(open, high, low, close) <= 0 || volume < 0) return "prices must be positive and volume >= 0";
  if (low > Math.min(open, close) || high < Math.max(open, close)) return "low/high do not bound open and close";
  return { time, open, high, low, close, volume };
}

export function readCsvCandles(
  dataDir: string,
  pair: string,
  timeframe: Timeframe,
  startMs: number,
  endMs: number,
): CsvCandles {
  const path = join(dataDir, csvFileName(pair, timeframe));
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new WorkerError(`candle file for ${pair} ${missing ? "not found" : "unreadable"}: ${path}`);
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // RFC 4180: quoted fields may hold commas, quotes and line breaks; a BOM is dropped.
    records = parse(bytes, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new WorkerError(`${path}${line ? `:${line}` : ""}: not valid CSV (${(error as Error).message})`);
  }
  const header = (records[0]?.record ?? []).join(",").replace(/\s/g, "").toLowerCase();
  if (header !== CSV_HEADER) throw new WorkerError(`${path}:1: header must be ${CSV_HEADER}`);
  const step = TIMEFRAME_MS[timeframe];
  const candles: Candle[] = [];
  let previous: number | undefined;
  for (const { record, info } of records.slice(1)) {
    const row = parseRow(record);
    if (typeof row === "string") throw new WorkerError(`${path}:${info.lines}: ${row}`);
    if (previous !== undefined && (row.time <= previous || (row.time - previous) % step !== 0)) {
      throw new WorkerError(`${path}:${info.lines}: candles must be ${timeframe} apart and in ascending time order`);
    }
    previous = row.time;
    if (row.time >= startMs && row.time < endMs) candles.push(row);
  }
  if (candles.length === 0) throw new WorkerError(`${path}: no candles inside the run's time range`);
  return { path, sha256: createHash("sha256").update(bytes).digest("hex"), candles };
}
