/**
 * The config-versions import's edge cases against the real server: a registry holding one version
 * number twice keeps every other consistent id (the duplicate takes a free number, and the
 * versions are written in number order); an id held twice names its first item in superseded
 * chains; an import with nothing in it is refused naming the field, writing nothing.
 */
import type { ApiProblemError } from "@tradai/client";
import { contentHash, formatConfigId } from "@tradai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../../test-support/backend.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p?.close());

const item = (
  n: number,
  data: Record<string, unknown>,
  status: "ACTIVE" | "DRAFT" | "DEPRECATED",
  extra: Record<string, unknown> = {},
) => {
  const hash = contentHash(data as never);
  return {
    strategy_name: "Dup",
    config_id: formatConfigId(n, hash),
    config_hash: hash,
    config_data: data,
    status,
    version_number: n,
    ...extra,
  };
};
const id = (n: number, data: Record<string, unknown>) => formatConfigId(n, contentHash(data as never));

describe(`config-versions import edge cases (${backend})`, () => {
  it("a version number held twice: the other ids are kept, the duplicate takes a free number", async () => {
    const items = [
      item(1, { a: 1 }, "DEPRECATED", { superseded_by: id(2, { a: 2 }) }),
      item(2, { a: 2 }, "DEPRECATED", { superseded_by: id(3, { a: 3 }) }),
      item(2, { a: 22 }, "DEPRECATED"),
      item(3, { a: 3 }, "DEPRECATED", { superseded_by: id(4, { a: 4 }) }),
      item(4, { a: 4 }, "ACTIVE"),
    ];
    const result = await p.api.importConfigVersions({ environment: "dev", source: "dup.json", items, apply: true });
    expect(result.outcome).toBe("applied");
    const [plan] = result.plans;
    expect(plan?.steps.map((s) => s.config_id)).toEqual([
      id(1, { a: 1 }),
      id(2, { a: 2 }),
      id(5, { a: 22 }),
      id(3, { a: 3 }),
      id(4, { a: 4 }),
      id(4, { a: 4 }),
    ]);
    expect(plan?.steps.map((s) => s.superseded_by ?? null).slice(0, 4)).toEqual([
      id(2, { a: 2 }),
      id(3, { a: 3 }),
      null,
      id(4, { a: 4 }),
    ]);
    expect(plan?.inconsistencies.map((i) => i.kind)).toEqual(["duplicate_id"]);
    expect((await p.api.resolve("Dup", { environment: "dev" })).values).toEqual({ a: 4 });
  });

  it("an import with neither items nor files is refused, naming the field", async () => {
    const refused = await p.api
      .importConfigVersions({ environment: "dev", source: "empty.json", items: [], apply: true })
      .catch((e: unknown) => e as ApiProblemError);
    expect((refused as ApiProblemError).problem).toMatchObject({ status: 422 });
    expect(JSON.stringify((refused as ApiProblemError).problem)).toContain("items");
  });
});
