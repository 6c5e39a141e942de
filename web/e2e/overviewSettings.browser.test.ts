import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, type TestApp } from "../../test/harness.js";
import { type Receiver, startReceiver } from "../../test/receiver.js";
import { expectNoSeriousViolations } from "./accessibility.js";
import { launchChromium } from "./chromium.js";
import { saveScreenshot } from "./screenshots.js";
import { startServedApp } from "./servedApp.js";

/**
 * The overview and the settings in a real Chromium against a listening server. Data is seeded
 * through the API (a profile, three leads, an email sent by the message sender, a reply, a bounce,
 * a webhook test delivery), then the overview must show exactly those numbers and draw both
 * charts; the settings are changed, survive a reload, never show the Twilio token, and show the
 * API's field error next to the field. Every wait is on a condition, never a fixed sleep.
 */

const ACCOUNT_SID = `AC${"0123456789abcdef".repeat(2)}`;
const TOKEN = "twilio-token-first-0001";
const NEW_TOKEN = "twilio-token-second-0002";
const HOLIDAY = "2030-12-25";

let t: TestApp;
let origin: string;
let receiver: Receiver;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

async function api(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await t.request(method, path, body === undefined ? {} : { body });
  expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
  return res.body;
}

async function post(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.text()).toBeLessThan(300);
}

/** Three leads; one email sent and answered, one bounce; one webhook test delivery taken. */
async function seed(): Promise<void> {
  await api("POST", "/v1/profiles", { name: "Seed", smsEnabled: true, emailEnabled: true });
  const lead = async (first: string, phone: string, email?: string) =>
    (
      (await api("POST", "/v1/leads/create", {
        firstName: first,
        lastName: "Seed",
        phone,
        customerProfile: "Seed",
        ...(email === undefined ? {} : { email }),
      })) as { id: string }
    ).id;
  const replier = await lead("Rae", "+1 202 555 0161", "rae@example.com");
  await lead("Sol", "+1 202 555 0162");
  await lead("Bo", "+1 202 555 0163", "bo@example.com");

  await api("POST", `/v1/leads/${replier}/sendMessage`, {
    channel: "email",
    subject: "Your roof",
    message: "When could we take a look?",
    overrideBusinessHours: true,
  });
  expect(await t.app.messages.runDue()).toBe(1);

  const { email: inbound } = (await api("GET", "/v1/inbound-addresses")) as { email: string };
  await post(inbound, { from: "rae@example.com", to: "in@leadwire.test", subject: "Re", text: "Monday" });
  await post(`${inbound}/events`, { type: "bounce", recipient: "bo@example.com" });

  const endpoint = (await api("POST", "/v1/webhooks/endpoints", { url: receiver.url })) as { id: string };
  await api("POST", `/v1/webhooks/endpoints/${endpoint.id}/test`, { eventType: "message.sent" });
}

beforeAll(async () => {
  browser = await launchChromium();
  receiver = await startReceiver();
  ({ t, origin } = await startServedApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" }));
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
  await receiver?.close();
});

const heading = (name: string) => page.getByRole("heading", { name, level: 1 });
const tile = (label: string) =>
  page
    .locator(".tile")
    .filter({ has: page.getByText(label, { exact: true }) })
    .locator(".tile-value");

/** The stored (sealed) Twilio token, to tell whether a save replaced it. */
async function storedToken(): Promise<string | undefined> {
  const row = await t.app.database.db.selectFrom("settings").select("data").executeTakeFirst();
  if (row === undefined) return undefined;
  const data = JSON.parse(row.data) as { twilio: { authToken: string } | null };
  return data.twilio?.authToken;
}

/** The field's own error text: the element its aria-describedby names for the error. */
async function fieldError(label: string): Promise<string | null> {
  const field = page.getByLabel(label, { exact: true });
  expect(await field.getAttribute("aria-invalid")).toBe("true");
  const ids = (await field.getAttribute("aria-describedby"))?.split(" ") ?? [];
  const errorId = ids.find((id) => id.endsWith("-error"));
  return errorId === undefined ? null : page.locator(`[id="${errorId}"]`).textContent();
}

const focusedName = () => page.evaluate("document.activeElement?.getAttribute('name') ?? null");

describe("the overview and the settings", () => {
  it("signs in and lands on the overview, with the seeded numbers", async () => {
    await page.goto(`${origin}/`);
    await page.waitForURL(`${origin}/sign-in`);
    await page.getByLabel("API key").fill(ADMIN_KEY);
    await page.getByLabel("API key").press("Enter");
    await page.waitForURL(`${origin}/overview`);
    await heading("Overview").waitFor();
    expect(await page.title()).toBe("Overview · Leadwire");
    const nav = page.getByRole("navigation", { name: "Main" }).getByRole("link");
    expect((await nav.allTextContents())[0]).toBe("Overview");

    await tile("Leads").waitFor();
    const expected: [string, string][] = [
      ["Leads", "3"],
      ["Sent today", "1"],
      ["Sent in 7 days", "1"],
      ["Reply rate, 7 days", "100%"],
      ["Opt-outs, 7 days", "1"],
      ["Webhook success, 7 days", "100%"],
      ["Unknown messages", "0"],
    ];
    for (const [label, value] of expected) expect(await tile(label).textContent(), label).toBe(value);
  });

  it("draws both charts with a caption, a summary and a table of every value", async () => {
    const daily = page.getByRole("figure", { name: /per day, last 30 days/ });
    const hourly = page.getByRole("figure", { name: /per hour, last 48 hours/ });
    await daily.getByText("Last 30 days: sent 1, replies 1, opt-outs 1.").waitFor();
    await hourly.getByText("Last 48 hours: succeeded 1, failed 0.").waitFor();
    // uPlot drew each: its canvas is there, hidden from assistive technology behind the table.
    expect(await page.locator("figure.chart .uplot canvas").count()).toBe(2);
    expect(await daily.locator(".chart-canvas").getAttribute("aria-hidden")).toBe("true");

    const dailyRows = daily.getByRole("table").getByRole("row");
    expect(await dailyRows.count()).toBe(31); // the header and 30 days
    expect(await dailyRows.last().getByRole("cell").allTextContents()).toEqual(["1", "1", "1"]);
    const hourlyRows = hourly.getByRole("table").getByRole("row");
    expect(await hourlyRows.count()).toBe(49);
    expect(await hourlyRows.last().getByRole("cell").allTextContents()).toEqual(["1", "0"]);
    await expectNoSeriousViolations(page, "overview");
    await saveScreenshot(page, "overview");
  });

  it("changes quiet hours, a holiday and the Twilio account, and keeps them after a reload", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await page.waitForURL(`${origin}/settings`);
    await heading("Settings").waitFor();
    expect(await page.title()).toBe("Settings · Leadwire");
    await expectNoSeriousViolations(page, "settings");

    await page.getByLabel("Quiet hours start (hour)").fill("9");
    await page.getByLabel("Quiet hours end (hour)").fill("20");
    await page.getByLabel("New holiday").fill(HOLIDAY);
    await page.getByRole("button", { name: "Add holiday" }).click();
    await page.getByRole("list", { name: "Holidays" }).getByText(HOLIDAY).waitFor();
    await page.getByLabel("Use this organisation's own Twilio account").check();
    await page.getByLabel("Account SID").fill(ACCOUNT_SID);
    await page.getByLabel("Auth token").fill(TOKEN);
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").getByText("Settings saved.").waitFor();
    // Saved, the token box is empty again: the token is write-only.
    expect(await page.getByLabel("Auth token").inputValue()).toBe("");

    const saved = (await api("GET", "/v1/settings")) as Record<string, unknown>;
    expect(saved).toMatchObject({
      quietHours: { enabled: true, startHour: 9, endHour: 20 },
      followUpWindow: { holidays: [HOLIDAY] },
      twilio: { accountSid: ACCOUNT_SID, authToken: "[redacted]" },
    });
    const sealed = await storedToken();
    expect(sealed).toBeDefined();
    expect(t.app.ctx.secrets.reveal(sealed ?? "")).toBe(TOKEN);

    await page.reload();
    await heading("Settings").waitFor();
    expect(await page.getByLabel("Quiet hours start (hour)").inputValue()).toBe("9");
    expect(await page.getByLabel("Quiet hours end (hour)").inputValue()).toBe("20");
    await page.getByRole("list", { name: "Holidays" }).getByText(HOLIDAY).waitFor();
    expect(await page.getByLabel("Account SID").inputValue()).toBe(ACCOUNT_SID);
    expect(await page.getByLabel("Auth token").inputValue()).toBe("");
    await page.getByText("A token is set and is never shown.", { exact: false }).waitFor();
    expect(await page.content()).not.toContain(TOKEN);
    await saveScreenshot(page, "settings");
  });

  it("keeps the token on a save that does not type one, and replaces it with a new one", async () => {
    const before = await storedToken();
    await page.getByLabel("Help reply").fill("Reply STOP to opt out. Questions? Call 202-555-0100.");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").getByText("Settings saved.").waitFor();
    expect(await storedToken()).toBe(before);

    await page.getByLabel("Auth token").fill(NEW_TOKEN);
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").getByText("Settings saved.").waitFor();
    expect(t.app.ctx.secrets.reveal((await storedToken()) ?? "")).toBe(NEW_TOKEN);
    expect(await page.content()).not.toContain(NEW_TOKEN);
  });

  it("shows the API's error next to the field and saves nothing", async () => {
    await page.getByLabel("Quiet hours start (hour)").fill("7");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page
      .getByRole("alert")
      .getByText(/Invalid/)
      .waitFor();
    expect(await fieldError("Quiet hours start (hour)")).toMatch(/must be 8 or later/);
    // Focus moves to that field, far from the Save button at the end of the form.
    await expect.poll(focusedName).toBe("quietHours.startHour");
    // The other fields carry no error.
    expect(await page.getByLabel("Quiet hours end (hour)").getAttribute("aria-invalid")).toBeNull();
    await expectNoSeriousViolations(page, "settings with an error");
    await saveScreenshot(page, "settings-error");
    const settings = (await api("GET", "/v1/settings")) as { quietHours: { startHour: number } };
    expect(settings.quietHours.startHour).toBe(9);

    // A new account SID needs its own token: said under the token box, before any request.
    await page.getByLabel("Quiet hours start (hour)").fill("9");
    await page.getByLabel("Account SID").fill(`AC${"f".repeat(32)}`);
    await page.getByRole("button", { name: "Save settings" }).click();
    expect(await fieldError("Auth token")).toBe("enter the auth token of this account");
    await expect.poll(focusedName).toBe("twilio.authToken");
  });

  it("threw no script error on any page", () => {
    expect(pageErrors).toEqual([]);
  });
});
