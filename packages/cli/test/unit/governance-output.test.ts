/** The CLI's own parts of the governance commands: the token file, argument parsers, verify output. */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidArgumentError } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { credentialsPath, forgetLogin, storedLogin, storeLogin } from "../../src/auth/credentials-file.js";
import { nonNegativeInteger, positiveInteger } from "../../src/input/integers.js";
import { verificationSummary } from "../../src/output/audit.js";

const dir = mkdtempSync(join(tmpdir(), "tradai-credentials-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the credentials file", () => {
  it("lives under $XDG_CONFIG_HOME, else ~/.config", () => {
    expect(credentialsPath({ XDG_CONFIG_HOME: "/x" })).toBe("/x/tradai/credentials.json");
    expect(credentialsPath({})).toMatch(/\/\.config\/tradai\/credentials\.json$/);
  });

  it("keeps one login per server URL, mode 0600, and ignores expired ones", () => {
    const path = join(dir, "a", "tradai", "credentials.json");
    const later = new Date(Date.now() + 3_600_000).toISOString();
    storeLogin("http://one:8000/", { token: "t1", username: "alice", expires_at: later }, path);
    storeLogin("http://two:8000", { token: "t2", username: "bob", expires_at: "2000-01-01T00:00:00Z" }, path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(storedLogin("http://one:8000", path)?.token).toBe("t1");
    expect(storedLogin("http://two:8000", path)).toBeUndefined();
    expect(forgetLogin("http://two:8000/", path)).toBe(true);
    expect(forgetLogin("http://two:8000", path)).toBe(false);
    expect(Object.keys(JSON.parse(readFileSync(path, "utf8")))).toEqual(["http://one:8000"]);
  });
});

describe("integer arguments", () => {
  it("accept whole numbers and refuse the rest", () => {
    expect(positiveInteger("17")).toBe(17);
    for (const bad of ["0", "-1", "1.5", "1e3", "abc", "", " 2", "99999999999999999999"]) {
      expect(() => positiveInteger(bad), bad).toThrow(InvalidArgumentError);
    }
    expect(nonNegativeInteger("0")).toBe(0);
    expect(() => nonNegativeInteger("-1")).toThrow(InvalidArgumentError);
  });
});

describe("audit verify output", () => {
  it("says intact, or names the first broken entry", () => {
    expect(verificationSummary({ ok: true, entries_checked: 12, head_seq: 12, first_broken: null })).toBe(
      "audit chain intact: 12 entries, head seq 12",
    );
    expect(
      verificationSummary({
        ok: false,
        entries_checked: 12,
        head_seq: 12,
        first_broken: { seq: 7, problem: "hash does not match its content" },
      }),
    ).toBe("audit chain BROKEN at seq 7: hash does not match its content (12 entries checked, head seq 12)");
  });
});
