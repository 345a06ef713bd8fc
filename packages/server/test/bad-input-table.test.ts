/**
 * The README's "Bad input" table is what the server says: each row is sent to a real server, and
 * its status and detail must be the table's, word for word, in the platform's own words.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

interface Row {
  method: string;
  path: string;
  bodyOrQuery: string;
  status: number;
  detail: string;
}

/** Zod's default English and other library wording: none of it may reach a client. */
const LIBRARY_WORDING = [
  /Invalid input/,
  /Invalid option/,
  /expected /,
  /received /,
  /Too small/,
  /Too big/,
  />=/,
  /<=/,
  /Unrecognized key/,
];

/** The text inside one table cell's backticks (a cell may be empty). */
function cellText(cell: string): string {
  const trimmed = cell.trim();
  const quoted = /^`(.*)`$/.exec(trimmed);
  return quoted ? (quoted[1] as string) : trimmed;
}

/** The rows of the table under `## Bad input` in README.md. */
function readmeRows(): Row[] {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  const start = readme.indexOf("\n## Bad input\n");
  if (start < 0) throw new Error("README.md has no ## Bad input section");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const lines = section.split("\n").filter((line) => line.startsWith("|"));
  const [header, separator, ...body] = lines;
  expect(header?.split("|").map((c) => c.trim())).toEqual([
    "",
    "method",
    "path",
    "body or query",
    "status",
    "detail",
    "",
  ]);
  expect(separator).toMatch(/^\|(-+\|)+$/);
  return body.map((line) => {
    const cells = line.split("|").slice(1, -1);
    expect(cells, `a row of five cells: ${line}`).toHaveLength(5);
    const [method, path, bodyOrQuery, status, detail] = cells.map(cellText) as [string, string, string, string, string];
    return { method, path, bodyOrQuery, status: Number(status), detail };
  });
}

describe(`the README's bad-input table (${backend})`, () => {
  const rows = readmeRows();
  let p: TestPlatform;

  beforeAll(async () => {
    p = await startTestPlatform();
    // The table's one catalog parameter.
    const saved = await p.http("/api/v1/catalog", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "stoploss", type: "number", min: -0.5, max: 0, description: "Stop loss" }),
    });
    expect(saved.status).toBe(201);
  });
  afterAll(() => p.close());

  it("covers the kinds of bad input it promises", () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.length).toBeLessThanOrEqual(20);
    const statuses = new Set(rows.map((r) => r.status));
    expect(statuses).toEqual(new Set([400, 422]));
    expect(rows.some((r) => r.method === "GET" && r.bodyOrQuery.startsWith("?"))).toBe(true);
    expect(rows.some((r) => r.path.includes("/configs") && r.detail.startsWith("config_data.stoploss "))).toBe(true);
  });

  for (const row of rows) {
    const what = `${row.method} ${row.path} ${row.bodyOrQuery}`.trim();
    it(`${what}: ${row.status}, ${row.detail}`, async () => {
      const query = row.bodyOrQuery.startsWith("?") ? row.bodyOrQuery : "";
      const body = row.bodyOrQuery !== "" && !query ? row.bodyOrQuery : undefined;
      const res = await p.http(row.path + query, {
        method: row.method,
        ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body }),
      });
      expect(res.type).toContain("application/problem+json");
      expect({ status: res.status, detail: res.body.detail }).toEqual({ status: row.status, detail: row.detail });
      for (const pattern of LIBRARY_WORDING) expect(res.body.detail).not.toMatch(pattern);
      const errors: { field: string; location: string; message: string }[] = res.body.errors ?? [];
      if (row.status === 422) {
        // One entry per field, each with the rule in words; the detail puts each field first.
        expect(errors.length).toBeGreaterThan(0);
        for (const e of errors) {
          expect(row.detail).toContain(e.field);
          expect(row.detail).toContain(e.message);
          expect(e.message).not.toMatch(/^\s*$/);
          for (const pattern of LIBRARY_WORDING) expect(e.message).not.toMatch(pattern);
        }
      }
    });
  }
});
