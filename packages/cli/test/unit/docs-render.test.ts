/** The Markdown reference: sorted, escaped, with a note for strategies that did not resolve. */
import type { CatalogParameter } from "@tradai/core";
import { describe, expect, it } from "vitest";
import { type DocsInput, renderDocs } from "../../src/docs/render.js";

const param = (name: string, group: string, extra: Partial<CatalogParameter> = {}): CatalogParameter => ({
  name,
  type: "number",
  description: `${name} description`,
  group,
  required: false,
  deprecated: false,
  reload: "restart",
  criticality: "normal",
  immutable: false,
  strategies: [],
  ...extra,
});

const input = (over: Partial<DocsInput> = {}): DocsInput => ({
  environment: "prod",
  catalogRevision: 7,
  baseRevision: 0,
  parameters: [param("z.b", "zeta"), param("a.b", "alpha", { min: 0 }), param("a.a", "alpha", { max: 1, step: 0.5 })],
  rules: [],
  active: [],
  inactive: [],
  ...over,
});

describe("renderDocs", () => {
  it("sorts groups and parameters whatever the input order, so the output is stable", () => {
    const md = renderDocs(input());
    expect(md).toBe(renderDocs(input({ parameters: [...input().parameters].reverse() })));
    const names = md.split("\n").filter((l) => l.startsWith("| `"));
    expect(names.map((l) => l.split(" | ")[0])).toEqual(["| `a.a`", "| `a.b`", "| `z.b`"]);
    expect(md).toContain("| `a.a` | number | ≤ 1, step 0.5 |");
    expect(md).toContain("| `a.b` | number | ≥ 0 |");
    expect(md.indexOf("### alpha")).toBeLessThan(md.indexOf("### zeta"));
    expect(md).toContain("No coherence rules.");
    expect(md.endsWith("\n")).toBe(true);
  });

  it("flags a parameter's reload class when it is not restart: hot, or between trades", () => {
    const md = renderDocs(
      input({
        parameters: [
          param("a.hot", "g", { reload: "hot" }),
          param("a.stake", "g", { reload: "between_trades", required: true }),
          param("a.venue", "g"),
        ],
      }),
    );
    const flagsOf = (name: string) =>
      md
        .split("\n")
        .find((l) => l.startsWith(`| \`${name}\``))
        ?.split(" | ")[5];
    expect([flagsOf("a.hot"), flagsOf("a.stake"), flagsOf("a.venue")]).toEqual([
      "hot",
      "required, between trades",
      "—",
    ]);
  });

  it("escapes pipes and line breaks in cells and backticks in code", () => {
    const md = renderDocs(
      input({ parameters: [param("a", "g", { description: "x | y\nz", type: "string", default: "q`r" })] }),
    );
    expect(md).toContain('| `` "q`r" `` |');
    expect(md).toContain("x \\| y<br>z");
  });

  it("notes a strategy that did not resolve, with the reason, and keeps going", () => {
    const md = renderDocs(
      input({
        active: [
          { strategy: "B", config_version_id: "v2-bbbbbbbb", error: "HTTP 422: risk.x is required" },
          {
            strategy: "A",
            config_version_id: "v1-aaaaaaaa",
            resolved: {
              strategy: "A",
              environment: "prod",
              config_version_id: "v1-aaaaaaaa",
              resolved_hash: "f".repeat(64),
              values: { a: { b: 2 } },
              provenance: { "a.b": { layer: "config_version", source: "v1-aaaaaaaa" } },
            },
          },
        ],
      }),
    );
    expect(md.indexOf("### A")).toBeLessThan(md.indexOf("### B"));
    expect(md).toContain("| `a.b` | `2` | config version | v1-aaaaaaaa |");
    expect(md).toContain("Active version `v2-bbbbbbbb`; not resolved: HTTP 422: risk.x is required.");
  });
});
