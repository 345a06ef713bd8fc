/**
 * The response contract (test-support/response-contract.ts) catches what the document does not
 * describe: here the document is edited after the server started, so correct answers turn wrong.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings, openPgliteDatabase, type Platform, startPlatform } from "@tradai/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { responseContract } from "../../../../test-support/response-contract.js";

const contract = responseContract();
let platform: Platform;
// biome-ignore lint/suspicious/noExplicitAny: the document as built, edited below
let document: any;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "tradai-contract-"));
  const settings = loadSettings({
    TRADAI_PORT: "0",
    TRADAI_LOG_LEVEL: "silent",
    TRADAI_LAUNCHER: "none",
    TRADAI_WORK_DIR: join(dir, "work"),
    TRADAI_ARTIFACTS_DIR: join(dir, "artifacts"),
    TRADAI_DATA_DIR: join(dir, "data"),
    TRADAI_ADMIN_PASSWORD: "contract-test-password-0",
  });
  platform = await startPlatform(settings, await openPgliteDatabase(), { instrument: contract.instrument });
  // The same object the check reads (the plugin caches it); edited before the first answer is checked.
  document = platform.app.swagger();
  delete document.paths["/api/v1/health/ready"].get.responses["200"];
  const unauthorized = document.paths["/api/v1/configs"].get.responses["401"];
  unauthorized.content = { "application/json": unauthorized.content["application/problem+json"] };
  document.components.schemas.LivenessResponse.required.push("missing_field");
});
afterAll(() => platform?.close());

describe("the response contract", () => {
  it("passes answers the document describes", async () => {
    await fetch(`${platform.url}/api/v1/health`);
    await fetch(`${platform.url}/api/v1/auth/me`); // 401 problem+json
    expect(contract.violations).toEqual([]);
  });

  it("names an undocumented status, media type and body", async () => {
    await fetch(`${platform.url}/api/v1/health/ready`);
    await fetch(`${platform.url}/api/v1/configs`);
    await fetch(`${platform.url}/api/v1/health/live`);
    expect(contract.violations).toEqual([
      expect.stringMatching(/^GET \/api\/v1\/health\/ready -> 200: status 200 is not documented/),
      expect.stringMatching(/^GET \/api\/v1\/configs -> 401: media type application\/problem\+json is not documented/),
      expect.stringMatching(/^GET \/api\/v1\/health\/live -> 200: the body does not match .*missing_field/),
    ]);
  });
});
