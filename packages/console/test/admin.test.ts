/** The admin page in a real browser: users, roles, service tokens, environment policy and freeze windows. */
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConsoleSession,
  expectAccessible,
  expectNoHorizontalOverflow,
  PHONE,
  screenshot,
  signIn,
  startConsoleSession,
} from "../../../test-support/browser.js";

let session: ConsoleSession;
beforeAll(async () => {
  session = await startConsoleSession();
});
afterAll(async () => {
  await session?.close();
});

async function openAdmin(page: Page, tab: "users" | "roles" | "tokens" | "environments"): Promise<void> {
  await page.goto(`/admin?tab=${tab}`);
  await page.getByRole("heading", { name: "Admin", exact: true }).waitFor();
  await page.getByRole("tab", { name: tabLabel[tab], selected: true }).waitFor();
}
const tabLabel = { users: "Users", roles: "Roles", tokens: "Service tokens", environments: "Environments" };

/** The error shown at a field: the text of the elements its aria-describedby names that are alerts. */
async function fieldError(control: Locator): Promise<string> {
  await expect(control.getAttribute("aria-invalid")).resolves.toBe("true");
  return control.evaluate((el) =>
    (el.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .map((id) => document.getElementById(id))
      .filter((e) => e?.getAttribute("role") === "alert")
      .map((e) => e?.textContent ?? "")
      .join(" "),
  );
}

/** Polls a condition on the server (the UI is asserted with waitFor; the API after it, briefly). */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const apiUser = async (name: string) => (await session.platform.api.listUsers()).items.find((u) => u.username === name);

describe("users", () => {
  it("creates a user who signs in with that role; a new role and disabling end their session", async () => {
    const admin = await session.signedIn();
    await openAdmin(admin, "users");
    await admin.getByRole("button", { name: "New user" }).click();
    const dialog = admin.getByRole("dialog", { name: "New user" });
    await dialog.getByLabel("Username").fill("dana");
    await dialog.getByLabel("Role").selectOption("editor");
    await dialog.getByLabel("Password").fill("dana-password-0");
    await dialog.getByRole("button", { name: "Create user" }).click();
    await dialog.waitFor({ state: "hidden" });
    const row = admin.locator('tr[data-user="dana"]');
    await row.locator('[data-column="role"]').filter({ hasText: "editor" }).waitFor();
    expect(await apiUser("dana")).toMatchObject({ role: "editor", disabled: false, created_by: "admin" });

    // Dana signs in elsewhere and sees her role in the header.
    const dana = await session.signedIn("dana", "dana-password-0");
    await expect(dana.getByTestId("current-user").textContent()).resolves.toBe("dana");
    await expect(dana.getByTestId("current-role").textContent()).resolves.toBe("editor");
    // Not an admin: no Admin link.
    await expect(
      dana.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).count(),
    ).resolves.toBe(0);

    // A new role: her session ends, and she signs in again as an approver.
    await row.getByRole("button", { name: "Change role of dana" }).click();
    const roleDialog = admin.getByRole("dialog", { name: "Change the role of dana" });
    await roleDialog.getByLabel("Role").selectOption("approver");
    await roleDialog.getByRole("button", { name: "Change role" }).click();
    await roleDialog.waitFor({ state: "hidden" });
    await row.locator('[data-column="role"]').filter({ hasText: "approver" }).waitFor();
    expect(await apiUser("dana")).toMatchObject({ role: "approver" });
    await dana.reload();
    await dana.waitForURL(/\/sign-in$/);
    await signIn(dana, "dana", "dana-password-0");
    await expect(dana.getByTestId("current-role").textContent()).resolves.toBe("approver");

    // Disabled: her session ends and she cannot sign in, with the server's message.
    await row.getByRole("button", { name: "Disable dana" }).click();
    const confirm = admin.getByRole("dialog", { name: "Disable dana?" });
    await confirm.getByRole("button", { name: "Disable" }).click();
    await confirm.waitFor({ state: "hidden" });
    await row.locator('[data-column="status"]').filter({ hasText: "disabled" }).waitFor();
    expect(await apiUser("dana")).toMatchObject({ disabled: true, role: "approver" });
    await dana.reload();
    await dana.waitForURL(/\/sign-in$/);
    await dana.getByLabel("Username").fill("dana");
    await dana.getByLabel("Password").fill("dana-password-0");
    await dana.getByRole("button", { name: "Sign in" }).click();
    await dana
      .getByRole("alert")
      .filter({ hasText: /disabled/ })
      .waitFor();
    expect(dana.url()).toMatch(/\/sign-in$/);

    // Enabled again, she may sign in.
    await row.getByRole("button", { name: "Enable dana" }).click();
    await row.locator('[data-column="status"]').filter({ hasText: "active" }).waitFor();
    expect(await apiUser("dana")).toMatchObject({ disabled: false });
    await signIn(dana, "dana", "dana-password-0");

    // A password reset: the old one no longer works, the new one does.
    await row.getByRole("button", { name: "Reset password of dana" }).click();
    const reset = admin.getByRole("dialog", { name: "Reset the password of dana" });
    await reset.getByLabel("New password").fill("short");
    await reset.getByRole("button", { name: "Reset password" }).click();
    expect(await fieldError(reset.getByLabel("New password"))).toContain("at least 12 characters");
    await reset.getByLabel("New password").fill("dana-new-password-1");
    await reset.getByRole("button", { name: "Reset password" }).click();
    await reset.waitFor({ state: "hidden" });
    const login = (password: string) =>
      session.platform.http("/api/v1/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "" },
        body: JSON.stringify({ username: "dana", password, issue: "token" }),
      });
    expect((await login("dana-password-0")).status).toBe(401);
    expect((await login("dana-new-password-1")).status).toBe(200);

    // The admin is not offered to demote or disable themselves (the server refuses it anyway).
    const self = admin.locator('tr[data-user="admin"]');
    await self.waitFor();
    await expect(self.getByRole("button", { name: /Disable|Change role/ }).count()).resolves.toBe(0);
  });

  it("refuses a weak password at the field before sending, and shows the server's duplicate-name refusal at the field", async () => {
    await session.platform.user("frank", "viewer");
    const admin = await session.signedIn();
    const posted: string[] = [];
    admin.on("request", (r) => {
      if (r.method() === "POST" && r.url().endsWith("/api/v1/users")) posted.push(r.postData() ?? "");
    });
    await openAdmin(admin, "users");
    await admin.getByRole("button", { name: "New user" }).click();
    const dialog = admin.getByRole("dialog", { name: "New user" });
    await dialog.getByLabel("Username").fill("erin");
    await dialog.getByLabel("Password").fill("too-short");
    await dialog.getByRole("button", { name: "Create user" }).click();
    expect(await fieldError(dialog.getByLabel("Password"))).toBe("must be at least 12 characters");
    expect(posted).toEqual([]);

    // A name that exists: the server's 409, at the username field.
    await dialog.getByLabel("Username").fill("frank");
    await dialog.getByLabel("Role").selectOption("admin");
    await dialog.getByLabel("Password").fill("frank-other-password");
    await dialog.getByRole("button", { name: "Create user" }).click();
    await dialog.getByText('user "frank" exists').waitFor();
    expect(await fieldError(dialog.getByLabel("Username"))).toBe('user "frank" exists');
    expect(posted).toHaveLength(1);
    await expectAccessible(admin, "the new-user dialog with errors");

    const users = (await session.platform.api.listUsers()).items;
    expect(users.filter((u) => u.username === "frank")).toEqual([expect.objectContaining({ role: "viewer" })]);
    expect(users.find((u) => u.username === "erin")).toBeUndefined();
  });
});

describe("roles", () => {
  it("shows core's permission table", async () => {
    const admin = await session.signedIn();
    await openAdmin(admin, "roles");
    const table = admin.getByTestId("roles");
    // Catalog writes: admin only; change-request review: approver and admin.
    const allowed = async (action: string, role: string) =>
      (await table.locator(`tr[data-action="${action}"] td[data-role="${role}"]`).textContent())?.trim();
    await expect(allowed("catalog.write", "admin")).resolves.toBe("allowed");
    await expect(allowed("catalog.write", "editor")).resolves.toBe("not allowed");
    await expect(allowed("change_requests.review", "approver")).resolves.toBe("allowed");
    await expect(allowed("secrets.read", "worker")).resolves.toBe("allowed");
    await expect(allowed("secrets.read", "viewer")).resolves.toBe("not allowed");
    await table.locator('tr[data-action="public"]').filter({ hasText: "Anyone" }).waitFor();
  });
});

describe("service tokens", () => {
  it("shows a new token's secret once; it works until revoked", async () => {
    const admin = await session.signedIn();
    await openAdmin(admin, "tokens");
    await admin.getByRole("button", { name: "New token" }).click();
    const dialog = admin.getByRole("dialog", { name: "New service token" });
    await dialog.getByLabel("Name").fill("mr-demo-worker");
    await dialog.getByLabel("Expires in (days)").fill("30");
    await dialog.getByRole("checkbox", { name: "dev" }).check();
    await dialog.getByRole("button", { name: "Create token" }).click();

    const shown = admin.getByRole("dialog", { name: "Token mr-demo-worker created" });
    await shown.getByText("shown only this once").waitFor();
    const secret = await shown.getByLabel("Token secret").inputValue();
    expect(secret.length).toBeGreaterThan(20);
    await expectAccessible(admin, "the new token's secret");
    await screenshot(admin, "admin-token-secret");

    const me = (token: string) =>
      session.platform.http("/api/v1/auth/me", { headers: { authorization: `Bearer ${token}` } });
    const answer = await me(secret);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      name: "token:mr-demo-worker",
      kind: "token",
      roles: ["worker"],
      environments: ["dev"],
    });
    const listed = (await session.platform.api.listTokens()).items.find((t) => t.name === "mr-demo-worker");
    expect(listed).toMatchObject({ roles: ["worker"], environments: ["dev"], created_by: "admin", revoked_at: null });
    const days = (Date.parse(listed?.expires_at ?? "") - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);

    // Closed, and after a reload: never shown again.
    await shown.getByRole("button", { name: "I have copied it, close" }).click();
    await shown.waitFor({ state: "hidden" });
    const row = admin.locator('tr[data-token="mr-demo-worker"]');
    await row.waitFor();
    expect(await admin.content()).not.toContain(secret);
    await admin.reload();
    await row.locator('[data-column="status"]').filter({ hasText: "active" }).waitFor();
    expect(await admin.content()).not.toContain(secret);
    await row.getByText(listed?.prefix as string).waitFor();

    // Revoked: refused at once.
    await row.getByRole("button", { name: "Revoke mr-demo-worker" }).click();
    const confirm = admin.getByRole("dialog", { name: "Revoke mr-demo-worker?" });
    await confirm.getByRole("button", { name: "Revoke" }).click();
    await confirm.waitFor({ state: "hidden" });
    await row.locator('[data-column="status"]').filter({ hasText: "revoked" }).waitFor();
    expect((await me(secret)).status).toBe(401);
    expect((await session.platform.api.listTokens()).items.find((t) => t.name === "mr-demo-worker")).toMatchObject({
      revoked_by: "admin",
    });

    // Its name is not reused: the server's 409 at the name field.
    await admin.getByRole("button", { name: "New token" }).click();
    const again = admin.getByRole("dialog", { name: "New service token" });
    await again.getByLabel("Name").fill("mr-demo-worker");
    await again.getByRole("button", { name: "Create token" }).click();
    await again.getByText("revoked names are not reused").waitFor();
    expect(await fieldError(again.getByLabel("Name"))).toContain('a token named "mr-demo-worker" exists');
  });
});

describe("environments", () => {
  it("changes a policy that does not weaken governance at once, and refuses to overwrite someone else's change", async () => {
    const api = session.platform.api;
    const before = await api.getEnvironment("staging");
    const admin = await session.signedIn();
    await openAdmin(admin, "environments");
    const card = admin.locator('section[data-environment="staging"]');
    const form = card.getByRole("form", { name: "Policy of staging" });
    const approvals = form.getByLabel("Approvals required");
    await expect(approvals.inputValue()).resolves.toBe(String(before.approvals_required));
    // More approvals: stricter, so applied at once.
    const next = before.approvals_required + 2;
    await approvals.fill(String(next));
    await form.getByRole("button", { name: "Save policy" }).click();
    await form.getByText(/Policy last changed .* by admin/).waitFor();
    const after = await until(
      () => api.getEnvironment("staging"),
      (e) => e.approvals_required === next,
      "the new policy",
    );
    expect(after).toMatchObject({
      approvals_required: next,
      break_glass_allowed: before.break_glass_allowed,
      requires_approval: before.requires_approval,
      promote_from: before.promote_from,
      updated_by: "admin",
    });

    // Someone else changes it meanwhile: this save is refused, not overwriting theirs.
    await api.updateEnvironmentPolicy("staging", { approvals_required: 5 });
    await approvals.fill("4");
    await form.getByRole("button", { name: "Save policy" }).click();
    await form.getByRole("alert").filter({ hasText: "changed by someone else" }).waitFor();
    expect((await api.getEnvironment("staging")).approvals_required).toBe(5);
    await form.getByRole("button", { name: /Load the current policy/ }).click();
    await expect(approvals.inputValue()).resolves.toBe("5");

    // Out of bounds: refused at the field by core's schema.
    await approvals.fill("11");
    await form.getByRole("button", { name: "Save policy" }).click();
    expect(await fieldError(approvals)).toMatch(/10/);
    expect((await api.getEnvironment("staging")).approvals_required).toBe(5);
  });

  it("proposes a policy change that weakens governance; another person approves it, then the policy shows it", async () => {
    const api = session.platform.api;
    expect((await api.getEnvironment("dev")).break_glass_allowed).toBe(false);
    const admin = await session.signedIn();
    await openAdmin(admin, "environments");
    const form = admin.locator('section[data-environment="dev"]').getByRole("form", { name: "Policy of dev" });
    const breakGlass = form.getByLabel("Break glass allowed");
    await breakGlass.click();
    await form.getByRole("button", { name: "Save policy" }).click();

    // Not applied: the change request, why, and who must approve it.
    const proposed = form.getByTestId("policy-change-result");
    await proposed.getByText("Not applied yet: a change request was opened").waitFor();
    await proposed.getByText("weakens governance: policy dev allows break-glass").waitFor();
    await proposed.getByText("It needs 1 approval from people other than admin (0 so far).").waitFor();
    const link = proposed.getByRole("link", { name: /Open change request #\d+/ });
    const id = Number(((await link.textContent()) as string).replace(/\D+/g, ""));
    expect(await api.getChangeRequest(id)).toMatchObject({
      kind: "environment_policy",
      environment: "dev",
      environments: ["dev"],
      status: "pending",
      author: "admin",
    });
    // Nothing pretends it was applied: the server and the form hold the policy in force.
    expect((await api.getEnvironment("dev")).break_glass_allowed).toBe(false);
    await expect(breakGlass.getAttribute("aria-checked")).resolves.toBe("false");
    await expectAccessible(admin, "a proposed policy change");

    // Its author is offered no approval.
    await link.click();
    await admin.getByRole("heading", { name: `Change request #${id}` }).waitFor();
    await admin.getByTestId("own-request").waitFor();
    await expect(admin.getByRole("button", { name: "Approve" }).count()).resolves.toBe(0);

    // Another person finds it in the queue as a policy change, and approves it.
    const approver = await session.platform.user("petra", "approver");
    const reviewer = await session.signedIn(approver.username, approver.password);
    await reviewer.goto("/change-requests");
    const row = reviewer.getByTestId("change-requests").locator(`tr[data-change-request="${id}"]`);
    await row.locator("[data-kind]").filter({ hasText: "environment policy" }).waitFor();
    await expect(row.locator('[data-column="environment"]').textContent()).resolves.toBe("dev");
    await row.getByRole("link", { name: `#${id}` }).click();
    await reviewer.getByTestId("weakenings").getByText("policy dev allows break-glass").waitFor();
    await expect(reviewer.getByTestId("approvals").textContent()).resolves.toBe("0/1");
    await expectAccessible(reviewer, "a policy change request");
    await reviewer.getByRole("button", { name: "Approve" }).click();
    await reviewer
      .getByRole("heading", { name: "Environment policy", exact: true })
      .locator("..")
      .locator('[data-status="applied"]')
      .waitFor();
    expect(await api.getEnvironment("dev")).toMatchObject({ break_glass_allowed: true });

    // The policy shows it now.
    await openAdmin(admin, "environments");
    await expect(breakGlass.getAttribute("aria-checked")).resolves.toBe("true");
    // Back as it was: stricter, so applied at once.
    await api.updateEnvironmentPolicy("dev", { break_glass_allowed: false });
  });

  it("adds a one-off freeze active now (the dashboard shows it frozen) and removes it", async () => {
    const api = session.platform.api;
    const admin = await session.signedIn();
    await openAdmin(admin, "environments");
    const card = admin.locator('section[data-environment="prod"]');
    await card.getByRole("button", { name: "Add freeze window to prod" }).click();
    const dialog = admin.getByRole("dialog", { name: "Add a freeze window to prod" });
    // A recurring window with a cron of four fields: the server's message at the field.
    await dialog.getByLabel("Recurring").check();
    await dialog.getByLabel("Reason").fill("weekly release");
    await dialog.getByLabel("Starts (cron)").fill("0 16 * *");
    await dialog.getByRole("button", { name: "Add freeze window" }).click();
    await dialog.getByText("must have five fields").waitFor();
    expect(await fieldError(dialog.getByLabel("Starts (cron)"))).toContain("must have five fields");

    const utcMinute = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    await dialog.getByLabel("One-off").check();
    await dialog.getByLabel("Reason").fill("quarter close");
    await dialog.getByLabel("Starts (UTC)").fill(utcMinute(Date.now() - 10 * 60_000));
    const ends = utcMinute(Date.now() + 2 * 3600_000);
    await dialog.getByLabel("Ends (UTC)").fill(ends);
    await dialog.getByRole("button", { name: "Add freeze window" }).click();
    await dialog.waitFor({ state: "hidden" });
    const row = card.locator("tr[data-freeze]").filter({ hasText: "quarter close" });
    await row.locator('[data-column="active"]').filter({ hasText: "active" }).waitFor();
    await card.getByTestId("admin-frozen-prod").waitFor();
    const prod = await api.getEnvironment("prod");
    expect(prod.frozen).toBe(true);
    const window = prod.freeze_windows.find((w) => w.reason === "quarter close");
    expect(window).toMatchObject({
      kind: "one-off",
      active_now: true,
      ends_at: `${ends}:00.000Z`,
      created_by: "admin",
    });
    await expectAccessible(admin, "the environments tab with a freeze window");

    // The dashboard, in the same app, shows prod frozen.
    await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await admin.getByTestId("frozen-prod").waitFor();

    // Removed: prod is no longer frozen.
    await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await admin.getByRole("tab", { name: "Environments" }).click();
    await row.getByRole("button", { name: 'Remove freeze window "quarter close"' }).click();
    const confirm = admin.getByRole("dialog", { name: 'Remove the freeze window "quarter close" of prod?' });
    await confirm.getByRole("button", { name: "Remove" }).click();
    await confirm.waitFor({ state: "hidden" });
    await row.waitFor({ state: "detached" });
    await card.getByTestId("admin-frozen-prod").waitFor({ state: "detached" });
    expect((await api.getEnvironment("prod")).frozen).toBe(false);
    await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await admin.getByTestId("active-versions").waitFor();
    await expect(admin.getByTestId("frozen-prod").count()).resolves.toBe(0);
  });
  it("follows a window's end on the clock, without a reload", async () => {
    const api = session.platform.api;
    const window = await api.addFreezeWindow("dev", {
      reason: "brief pause",
      starts_at: new Date(Date.now() - 60_000).toISOString(),
      ends_at: new Date(Date.now() + 8000).toISOString(),
    });
    const admin = await session.signedIn();
    await openAdmin(admin, "environments");
    const card = admin.locator('section[data-environment="dev"]');
    const row = card.locator(`tr[data-freeze="${window.id}"]`);
    await row
      .locator('[data-column="active"]')
      .filter({ hasText: /^active/ })
      .waitFor();
    await card.getByTestId("admin-frozen-dev").waitFor();
    await row.locator('[data-column="active"]').filter({ hasText: "not active" }).waitFor({ timeout: 20_000 });
    await card.getByTestId("admin-frozen-dev").waitFor({ state: "detached" });
    await api.removeFreezeWindow("dev", window.id);
  });
});

describe("who may", () => {
  it("tells a non-admin they may not, with no controls and no Admin link", async () => {
    await session.platform.user("vera", "editor");
    const page = await session.signedIn("vera", "vera-password-0");
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).count(),
    ).resolves.toBe(0);
    await page.goto("/admin?tab=users");
    await page.getByTestId("admin-forbidden").filter({ hasText: "Only admin may" }).waitFor();
    await expect(page.locator("main button, main input, main select, main [role=tab]").count()).resolves.toBe(0);
    await expectAccessible(page, "the admin page for an editor");
  });
});

describe("every tab", () => {
  it("is accessible, fits a phone, and is kept as a screenshot", async () => {
    await session.platform.api.createToken({ name: "ci-pipeline", roles: ["editor"], expires_in_days: 7 });
    await session.platform.api.addFreezeWindow("prod", {
      reason: "weekend",
      cron: "0 18 * * 5",
      duration_seconds: 62 * 3600,
      time_zone: "Europe/London",
    });
    const admin = await session.signedIn();
    for (const tab of ["users", "roles", "tokens", "environments"] as const) {
      await openAdmin(admin, tab);
      await admin.getByRole("tabpanel").locator("table").first().waitFor();
      await expectAccessible(admin, `the admin ${tab} tab`);
      await screenshot(admin, `admin-${tab}`);
    }
    const phone = await session.signedIn("admin", undefined, PHONE);
    for (const tab of ["users", "roles", "tokens", "environments"] as const) {
      await openAdmin(phone, tab);
      await phone.getByRole("tabpanel").locator("table").first().waitFor();
      await expectNoHorizontalOverflow(phone, `the admin ${tab} tab on a phone`);
    }
    await screenshot(phone, "phone-admin-environments");
  });
});
