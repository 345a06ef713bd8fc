/** GET /api/v1/stream/notices: the console's one connection for changes in every environment. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_AUTHORIZATION } from "../../../test-support/auth.js";
import { backend } from "../../../test-support/backend.js";
import { startTestPlatform, type TestPlatform } from "../../../test-support/platform.js";
import { openSse } from "../../../test-support/sse-client.js";

describe(`change notices for screens (${backend})`, () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(() => platform.close());

  it("says hello with the feed position, then tells of each change in any environment, without values", async () => {
    const stream = await openSse(`${platform.url}/api/v1/stream/notices`, { authorization: ADMIN_AUTHORIZATION });
    try {
      expect(stream.status).toBe(200);
      const hello = await stream.waitFor((f) => f.event === "hello", "hello");
      expect(typeof hello.data.seq).toBe("number");
      const { config_id } = await platform.api.createConfig({
        strategy_name: "NoticeDemo",
        config_data: { secret_sauce: 7 },
      });
      for (const environment of ["dev", "staging"]) {
        await platform.activateApproved("NoticeDemo", config_id, environment);
        const change = await stream.waitFor(
          (f) => f.event === "change" && f.data.environment === environment,
          `the ${environment} notice`,
        );
        expect(change.data).toEqual({
          seq: Number(change.id),
          at: expect.any(String),
          kind: "activation",
          environment,
          strategy: "NoticeDemo",
          config_id,
          actor: expect.any(String),
        });
        expect(change.data.seq).toBeGreaterThan(hello.data.seq);
        expect(JSON.stringify(change.data)).not.toContain("secret_sauce");
      }
    } finally {
      stream.close();
    }
  });

  it("tells a token scoped to some environments only of those", async () => {
    const { token } = await platform.api.createToken({ name: "dev-screen", roles: ["viewer"], environments: ["dev"] });
    const stream = await openSse(`${platform.url}/api/v1/stream/notices`, { authorization: `Bearer ${token}` });
    try {
      await stream.waitFor((f) => f.event === "hello", "hello");
      const { config_id } = await platform.api.createConfig({
        strategy_name: "NoticeScope",
        config_data: { n: 1 },
      });
      await platform.activateApproved("NoticeScope", config_id, "staging");
      await platform.activateApproved("NoticeScope", config_id, "dev");
      await stream.waitFor((f) => f.event === "change" && f.data.strategy === "NoticeScope", "the dev notice");
      const notices = stream.frames.filter((f) => f.event === "change" && f.data.strategy === "NoticeScope");
      expect(notices.map((f) => f.data.environment)).toEqual(["dev"]);
    } finally {
      stream.close();
    }
  });

  it("refuses anyone without credentials", async () => {
    const stream = await openSse(`${platform.url}/api/v1/stream/notices`);
    expect(stream.status).toBe(401);
    stream.close();
  });
});
