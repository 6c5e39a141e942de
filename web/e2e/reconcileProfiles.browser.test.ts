import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, type TestApp } from "../../test/harness.js";
import { expectNoSeriousViolations } from "./accessibility.js";
import { launchChromium } from "./chromium.js";
import { startServedApp } from "./servedApp.js";

/**
 * Messages to reconcile and the profile editor, in a real Chromium. Two SMS are queued through
 * the API and their rows set to `unknown` (the state a sender stopped mid-call leaves, as the
 * server's own reconciliation tests do); one is resolved as failed in the UI and leaves the list.
 * Then a profile's steps and a template are edited, saved and seen again after a reload, and a bad
 * booking URL shows the API's error under its field. Every wait is on a condition.
 */

let t: TestApp;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let profileId: string;
const unknownIds: string[] = [];
const pageErrors: string[] = [];

async function api(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await t.request(method, path, body === undefined ? {} : { body });
  expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
  return res.body;
}

async function seed(): Promise<void> {
  profileId = (
    (await api("POST", "/v1/profiles", {
      name: "Roofs",
      followUpConfig: { "1": { hours: 24, channel: "text" } },
      followUpTemplates: { "1": { text: "Still there, {{firstName}}?" } },
    })) as { id: string }
  ).id;
  const leadId = (
    (await api("POST", "/v1/leads/create", {
      firstName: "Ada",
      lastName: "Unknown",
      phone: "+1 202 555 0171",
      customerProfile: "Roofs",
    })) as { id: string }
  ).id;
  for (const message of ["Did this one reach you?", "And this one?"]) {
    const sent = (await api("POST", `/v1/leads/${leadId}/sendMessage`, {
      message,
      overrideBusinessHours: true,
    })) as { messageId: string };
    unknownIds.push(sent.messageId);
  }
  await t.app.database.db
    .updateTable("messages")
    .set({ status: "unknown", provider: "dev-sink", provider_call_at: new Date().toISOString() })
    .where("id", "in", unknownIds)
    .execute();
}

beforeAll(async () => {
  browser = await launchChromium();
  ({ t, origin } = await startServedApp());
  await seed();
  context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await t?.close();
});

const heading = (name: string) => page.getByRole("heading", { name, level: 1 });
const cards = () => page.locator("article.reconcile-card");

/** The field's own error text: the element its aria-describedby names for the error. */
async function fieldError(label: string): Promise<string | null> {
  const field = page.getByLabel(label, { exact: true });
  expect(await field.getAttribute("aria-invalid")).toBe("true");
  const ids = (await field.getAttribute("aria-describedby"))?.split(" ") ?? [];
  const errorId = ids.find((id) => id.endsWith("-error"));
  return errorId === undefined ? null : page.locator(`[id="${errorId}"]`).textContent();
}

describe("messages to reconcile and the profile editor", () => {
  it("signs in and reaches the unknown messages from the overview's tile", async () => {
    await page.goto(`${origin}/sign-in`);
    await page.getByLabel("API key").fill(ADMIN_KEY);
    await page.getByLabel("API key").press("Enter");
    await page.waitForURL(`${origin}/overview`);
    const tile = page.getByRole("link", { name: "2 unknown messages: reconcile them" });
    await tile.click();
    await page.waitForURL(`${origin}/messages/unknown`);
    await heading("Messages to reconcile").waitFor();
    expect(await page.title()).toBe("Messages to reconcile · Leadwire");
    await expect.poll(() => cards().count()).toBe(2);
    await page.getByRole("heading", { name: "SMS to Ada Unknown" }).first().waitFor();
    await expectNoSeriousViolations(page, "messages to reconcile");
  });

  it("resolves one as failed after a confirmation, and it leaves the list", async () => {
    const card = cards().filter({ hasText: "Did this one reach you?" });
    await card.getByLabel("It failed").check();
    await card.getByLabel("Note for the timeline (optional)").fill("Not in the provider's log.");
    await card.getByRole("button", { name: "Resolve…" }).click();
    const confirm = card.getByRole("button", { name: "Yes, mark as failed" });
    // Focus moves to the confirming button, so Enter confirms.
    await expect
      .poll(() => page.evaluate("document.activeElement?.textContent ?? null"))
      .toBe("Yes, mark as failed");
    await expectNoSeriousViolations(page, "messages to reconcile, confirming");
    await confirm.press("Enter");
    await expect.poll(() => cards().count()).toBe(1);
    expect(await cards().first().textContent()).toContain("And this one?");
    const failed = await t.app.database.db
      .selectFrom("messages")
      .select("status")
      .where("id", "=", unknownIds[0] ?? "")
      .executeTakeFirstOrThrow();
    expect(failed.status).toBe("failed");
  });

  it("opens a profile from the list, prefilled", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Profiles" }).click();
    await page.getByRole("link", { name: "Roofs" }).click();
    await page.waitForURL(`${origin}/profiles/${profileId}`);
    await heading("Profile: Roofs").waitFor();
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("Roofs");
    expect(await page.getByLabel("Step 1 hours").inputValue()).toBe("24");
    expect(await page.getByLabel("Step 1 template").inputValue()).toBe("Still there, {{firstName}}?");
    await expectNoSeriousViolations(page, "profile editor");
  });

  it("changes the steps and a template, saves, and sees them after a reload", async () => {
    await page.getByLabel("Step 1 hours").fill("12");
    await page.getByLabel("Step 1 template").fill("Any questions, {{firstName}}?");
    await page.getByRole("button", { name: "Add step" }).click();
    await page.getByLabel("Step 2 hours").fill("48");
    await page.getByLabel("Step 2 channel").selectOption("email");
    await page.getByLabel("Email", { exact: true }).check();
    await page.getByLabel("Step 2 subject").fill("Your roof");
    await page.getByLabel("Step 2 template").fill("Hi {{firstName}}, shall we book a visit?");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByRole("status").getByText("Profile saved.").waitFor();

    const stored = (await api("GET", `/v1/profiles/${profileId}`)) as Record<string, unknown>;
    expect(stored).toMatchObject({
      emailEnabled: true,
      followUpConfig: { "1": { hours: 12, channel: "text" }, "2": { hours: 48, channel: "email" } },
      followUpTemplates: {
        "1": { text: "Any questions, {{firstName}}?" },
        "2": { text: "Hi {{firstName}}, shall we book a visit?", subject: "Your roof" },
      },
    });

    await page.reload();
    await heading("Profile: Roofs").waitFor();
    expect(await page.getByLabel("Step 1 hours").inputValue()).toBe("12");
    expect(await page.getByLabel("Step 1 template").inputValue()).toBe("Any questions, {{firstName}}?");
    expect(await page.getByLabel("Step 2 channel").inputValue()).toBe("email");
    expect(await page.getByLabel("Step 2 subject").inputValue()).toBe("Your roof");
  });

  it("shows the API's error under the field and saves nothing", async () => {
    await page.getByLabel("Booking URL").fill("not a url");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByRole("alert").first().waitFor();
    expect(await fieldError("Booking URL")).toMatch(/http\(s\) URL/);
    expect(await page.getByLabel("Name", { exact: true }).getAttribute("aria-invalid")).toBeNull();
    await expectNoSeriousViolations(page, "profile editor with an error");
    const stored = (await api("GET", `/v1/profiles/${profileId}`)) as { bookingUrl: string | null };
    expect(stored.bookingUrl).toBeNull();
  });

  it("refuses to delete a profile that a lead uses, and says so", async () => {
    await page.getByRole("button", { name: "Delete profile" }).click();
    await page.getByRole("button", { name: "Yes, delete it" }).click();
    await page.locator(".delete-profile").getByRole("alert").waitFor();
    expect((await api("GET", `/v1/profiles/${profileId}`)) as { id: string }).toMatchObject({
      id: profileId,
    });
  });

  it("threw no script error on any page", () => {
    expect(pageErrors).toEqual([]);
  });
});
