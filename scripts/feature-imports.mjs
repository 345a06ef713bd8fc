#!/usr/bin/env node
/**
 * Imports between the server's feature folders: every edge, and the edges that run back up (the
 * edges inside a cycle of folders: A imports B while B, directly or not, imports A). Also counts
 * transactions opened and audit/event writers called outside the change kernel.
 * Usage: node scripts/feature-imports.mjs [--json]
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("../packages/server/src/", import.meta.url).pathname;
const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });

const folderOf = (path) => {
  const rel = relative(root, path).split("/");
  return rel[0] === "features" ? rel[1] : rel.length > 1 ? rel[0] : "(root)";
};

const edges = new Map();
let transactions = 0;
let writerCalls = 0;
for (const file of files(root)) {
  const text = readFileSync(file, "utf8");
  const from = folderOf(file);
  for (const m of text.matchAll(/from "(\.{1,2}\/[^"]+)"/g)) {
    const to = folderOf(join(file, "..", m[1]));
    if (
      to !== from &&
      relative(root, file).startsWith("features/") &&
      relative(root, join(file, "..", m[1])).startsWith("features/")
    ) {
      const key = `${from} -> ${to}`;
      edges.set(key, (edges.get(key) ?? 0) + 1);
    }
  }
  const rel = relative(root, file);
  if (rel.startsWith("db/") || rel.startsWith("changes/")) continue;
  transactions += (text.match(/\.transaction\(/g) ?? []).length;
  writerCalls += (
    text.match(/\b(recordAudit|recordConfigEvent|trackStrategyChange|appendAudit|appendConfigEvent)\(/g) ?? []
  ).length;
  writerCalls -= (text.match(/export (async )?function (recordAudit|recordConfigEvent|trackStrategyChange)\(/g) ?? [])
    .length;
}

const graph = new Map();
for (const key of edges.keys()) {
  const [a, b] = key.split(" -> ");
  if (!graph.has(a)) graph.set(a, new Set());
  graph.get(a).add(b);
}
const reaches = (a, b, seen = new Set()) => {
  if (a === b) return true;
  if (seen.has(a)) return false;
  seen.add(a);
  return [...(graph.get(a) ?? [])].some((n) => reaches(n, b, seen));
};
const back = [...edges.keys()].filter((key) => {
  const [a, b] = key.split(" -> ");
  return reaches(b, a);
});

const summary = {
  feature_edges: edges.size,
  feature_imports: [...edges.values()].reduce((n, v) => n + v, 0),
  edges_in_cycles: back.length,
  cycle_edges: back.sort(),
  transactions_outside_kernel: transactions,
  audit_event_writer_calls_outside_kernel: writerCalls,
};
if (process.argv.includes("--json")) console.log(JSON.stringify(summary, null, 2));
else {
  console.log(`feature folder edges: ${summary.feature_edges} (${summary.feature_imports} imports)`);
  console.log(`edges that run back up (in a cycle of folders): ${summary.edges_in_cycles}`);
  for (const e of summary.cycle_edges) console.log(`  ${e}`);
  console.log(`db.transaction sites outside the kernel: ${summary.transactions_outside_kernel}`);
  console.log(`audit/event writer calls outside the kernel: ${summary.audit_event_writer_calls_outside_kernel}`);
}
