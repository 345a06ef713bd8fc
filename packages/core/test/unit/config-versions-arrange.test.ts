import { describe, expect, it } from "vitest";
import { arrangeConfigVersions, contentHash, formatConfigId, type LegacyConfigVersion } from "../../src/index.js";

const item = (n: number, data: Record<string, unknown>, status: LegacyConfigVersion["status"], extra = {}) => {
  const hash = contentHash(data as never);
  return {
    strategy_name: "S",
    config_id: formatConfigId(n, hash),
    config_hash: hash,
    config_data: data,
    status,
    version_number: n,
    ...extra,
  } as LegacyConfigVersion;
};

describe("arranging the legacy config registry (ids kept only where consistent, inconsistencies reported)", () => {
  it("orders items by version number and wants their numbers where id and hash agree", () => {
    const [s] = arrangeConfigVersions({
      items: [item(3, { a: 3 }, "ACTIVE"), item(1, { a: 1 }, "DEPRECATED", { superseded_by: "v3-x" })],
      files: [],
    });
    expect(s?.history.map((r) => [r.legacy_id?.slice(0, 2), r.wanted_number])).toEqual([
      ["v1", 1],
      ["v3", 3],
    ]);
    expect(s?.current?.legacy_id).toBe(item(3, { a: 3 }, "ACTIVE").config_id);
    expect(s?.inconsistencies.map((i) => i.kind)).toEqual(["superseded_missing"]);
  });

  it("an id that is not v{N}-{hash8}, a duplicate id, duplicate content: reported, no number wanted", () => {
    const odd = { ...item(2, { a: 2 }, "DRAFT"), config_id: "v7-deadbeef" };
    const twin = { ...item(4, { a: 1 }, "DRAFT") };
    const [s] = arrangeConfigVersions({ items: [item(1, { a: 1 }, "ACTIVE"), odd, twin], files: [] });
    expect(s?.inconsistencies.map((i) => i.kind)).toEqual(["id_mismatch", "duplicate_content"]);
    expect(s?.history.map((r) => r.wanted_number)).toEqual([1, null, null]);
  });

  it("superseded yet not deprecated is reported", () => {
    const [s] = arrangeConfigVersions({ items: [item(1, { a: 1 }, "ACTIVE", { superseded_by: "v2-x" })], files: [] });
    expect(s?.inconsistencies.map((i) => i.kind)).toEqual(["superseded_missing", "superseded_not_deprecated"]);
  });

  it("a file that differs from the ACTIVE item: the file by default, the item with prefer registry; neither is lost", () => {
    const items = [item(1, { a: 1 }, "ACTIVE")];
    const files = [{ strategy: "S", path: "s3://b/S.yaml", values: { a: 9 } }];
    const [byFile] = arrangeConfigVersions({ items, files });
    expect(byFile?.current?.values).toEqual({ a: 9 });
    expect(byFile?.history.map((r) => r.values)).toEqual([{ a: 1 }]);
    const [byRegistry] = arrangeConfigVersions({ items, files, prefer: "registry" });
    expect(byRegistry?.current?.values).toEqual({ a: 1 });
    expect(byRegistry?.history.map((r) => r.values)).toEqual([{ a: 1 }, { a: 9 }]);
    expect(byRegistry?.inconsistencies.map((i) => i.kind)).toEqual(["file_differs"]);
  });

  it("a file equal to the ACTIVE item is no inconsistency", () => {
    const [s] = arrangeConfigVersions({
      items: [item(1, { a: 1 }, "ACTIVE")],
      files: [{ strategy: "S", path: "d/S.yaml", values: { a: 1 } }],
    });
    expect(s?.inconsistencies).toEqual([]);
  });
});
