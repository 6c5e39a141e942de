import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, type TestApp } from "../../test/harness.js";
import { expectNoSeriousViolations } from "./accessibility.js";
import { launchChromium } from "./chromium.js";
import { saveScreenshot } from "./screenshots.js";
import { startServedApp } from "./servedApp.js";

/**
 * A person's first hour, in a real Chromium against a listening server: sign in, create a
 * profile and a lead, send an SMS and see it sent, see the lead's reply arrive in the open thread,
 * turn the AI off, sign out. Every wait is on a condition, never a fixed sleep.
 */

const LEAD = { first: "Pat", last: "Doe", phone: "+1 202 555 0142", email: "pat.doe@example.com" };
const OUTBOUND = "Hi Pat, this is Sam from Roof Repair. When could we take a look at the roof?";
const REPLY = "Thursday morning works for me, around 9.";

let t: TestApp;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  ({ t, origin } = await startServedApp());
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
const thread = () => page.getByRole("log", { name: "Conversation" });

describe("the web app's first hour", () => {
  it("serves the app at / and keeps the server's own paths", async () => {
    const home = await fetch(`${origin}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get("content-type")).toMatch(/text\/html/);
    const deepLink = await fetch(`${origin}/leads/some-lead`);
    expect(deepLink.status).toBe(200);
    expect(await deepLink.text()).toContain('<div id="root">');
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    const unknownApi = await fetch(`${origin}/v1/no-such-route`);
    expect(unknownApi.status).toBe(404);
    expect(await unknownApi.json()).toMatchObject({ code: "NOT_FOUND" });
  });

  it("sends a signed-out visitor to sign in, and signs in with the keyboard", async () => {
    await page.goto(`${origin}/leads`);
    await page.waitForURL(`${origin}/sign-in`);
    await heading("Sign in to Leadwire").waitFor();
    await expectNoSeriousViolations(page, "sign-in");

    await page.getByLabel("API key").fill("lw_not_a_key");
    await page.getByLabel("API key").press("Enter");
    await page.getByRole("alert").getByText("Invalid API key.").waitFor();

    await page.getByLabel("API key").fill(ADMIN_KEY);
    await page.getByLabel("API key").press("Enter");
    await page.waitForURL(`${origin}/leads`);
    await heading("Leads").waitFor();
    expect(await page.title()).toBe("Leads · Leadwire");

    // The key lives in no script-readable place: the session is an HttpOnly cookie.
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "lw_session")).toMatchObject({
      httpOnly: true,
      sameSite: "Strict",
    });
    const storage = await page.evaluate("JSON.stringify({ ...localStorage, ...sessionStorage })");
    expect(storage).not.toContain(ADMIN_KEY);
    expect(page.url()).not.toContain(ADMIN_KEY);
  });

  it("creates a profile on the Profiles screen, showing the API's error next to the form first", async () => {
    await page.getByRole("link", { name: "Profiles" }).click();
    await heading("Profiles").waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Roof Repair");
    await page.getByLabel("Description (optional)").fill("Homeowners asking about roof repairs");
    await page.getByLabel("Instructions for the assistant (optional)").fill("Offer an estimate visit.");
    await page.getByRole("button", { name: "Add step" }).click();
    await page.getByLabel("Step 1 hours").fill("24");
    await page.getByRole("button", { name: "Add step" }).click();
    await page.getByLabel("Step 2 hours").fill("48");
    await page.getByLabel("Step 2 channel").selectOption("email");

    // An email step while email is off: the API says why, and the form shows it.
    await page.getByRole("button", { name: "Create profile" }).click();
    await page.getByRole("alert").getByText("email is not enabled on the profile").first().waitFor();

    await page.getByLabel("Email", { exact: true }).check();
    await page.getByRole("button", { name: "Create profile" }).click();
    await page.getByRole("status").getByText("Profile “Roof Repair” created.").waitFor();
    await page.getByRole("row", { name: /Roof Repair/ }).waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);
    await expectNoSeriousViolations(page, "profiles");
  });

  it("creates a lead with the New lead form", async () => {
    await page.getByRole("link", { name: "Leads" }).click();
    await heading("Leads").waitFor();
    const toggle = page.getByRole("button", { name: "New lead" });
    await toggle.click();
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    await page.getByLabel("First name").fill(LEAD.first);
    await page.getByLabel("Last name").fill(LEAD.last);
    await page.getByLabel("Phone").fill(LEAD.phone);
    await page.getByLabel("Email (optional)").fill(LEAD.email);
    // Scoped: the search form has a Profile filter too.
    await page.getByRole("region", { name: "New lead" }).getByLabel("Profile").selectOption("Roof Repair");
    await page.getByRole("button", { name: "Create lead" }).click();
    await page.getByRole("status").getByText("Lead created").waitFor();
    const row = page.getByRole("row", { name: /Pat Doe/ });
    await row.waitFor();
    expect(await row.getByRole("cell").nth(2).textContent()).toBe("Roof Repair");
    await expectNoSeriousViolations(page, "leads");
  });

  it("opens the lead and sends an SMS whose bubble appears once it is sent", async () => {
    await page.getByRole("link", { name: "Pat Doe", exact: true }).click();
    await page.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
    await heading("Pat Doe").waitFor();
    await thread().getByText("No messages yet.").waitFor();

    await page.getByLabel("Message", { exact: true }).fill(OUTBOUND);
    await page.getByLabel("Send now, even outside business hours").check();
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page
      .getByRole("status")
      .getByText(/^Queued: goes out/)
      .waitFor();

    // The worker's job, run by hand: the dev sink records the SMS, the timeline gets its entry.
    expect(await t.app.messages.runDue()).toBeGreaterThanOrEqual(1);
    const outbox = await t.request("GET", "/v1/dev/outbox?limit=10");
    expect((outbox.body as { messages: { body: string }[] }).messages.map((m) => m.body)).toContain(OUTBOUND);

    const bubble = thread().getByRole("listitem").filter({ hasText: OUTBOUND });
    await bubble.waitFor();
    await bubble.getByText("Status: sent").waitFor();
  });

  it("shows an inbound email reply in the open thread without a reload", async () => {
    // Set on this page load; a reload would lose it.
    await page.evaluate("window.stillHere = true");
    const addresses = await t.request("GET", "/v1/inbound-addresses");
    const inboundUrl = (addresses.body as { email: string }).email;
    expect(inboundUrl.startsWith(`${origin}/inbound/email/`)).toBe(true);
    const posted = await fetch(inboundUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        from: LEAD.email,
        to: "in@leadwire.test",
        subject: "Re: your roof",
        text: REPLY,
      }),
    });
    expect(posted.status).toBeLessThan(300);

    const reply = thread().getByRole("listitem").filter({ hasText: REPLY });
    await reply.waitFor();
    await reply.getByText("From Pat Doe").waitFor();
    await reply.getByText("Subject: Re: your roof").waitFor();
    expect(await page.evaluate("window.stillHere")).toBe(true);
    // The README's picture of a conversation: the SMS sent and the reply, in the open thread.
    await saveScreenshot(page, "lead-conversation", heading("Pat Doe"));
  });

  it("turns the AI off and on again", async () => {
    const aiSwitch = page.getByRole("switch", { name: "AI replies" });
    expect(await aiSwitch.getAttribute("aria-checked")).toBe("true");
    await aiSwitch.click();
    await expect.poll(() => aiSwitch.getAttribute("aria-checked")).toBe("false");
    await page.getByRole("list", { name: "Flags" }).getByText("AI off").waitFor();
    await expectNoSeriousViolations(page, "lead");
    await aiSwitch.click();
    await expect.poll(() => aiSwitch.getAttribute("aria-checked")).toBe("true");
    const lead = await t.request("GET", `/v1/leads/${page.url().split("/").at(-1)}`);
    expect(lead.body).toMatchObject({ isAiOn: true });
  });

  it("keeps the leads page in the URL, so a reload stays on it", async () => {
    // 50 more leads: 51 in all, newest first, so the second page (50 a page) holds exactly Pat Doe.
    for (let i = 0; i < 50; i++) {
      const res = await t.request("POST", "/v1/leads/create", {
        body: {
          firstName: "Paged",
          lastName: `Lead ${String(i + 1).padStart(2, "0")}`,
          phone: `+1 202 555 01${String(50 + i)}`,
          customerProfile: "Roof Repair",
        },
      });
      expect(res.status, res.text).toBe(200);
    }
    await page.getByRole("link", { name: "Leads" }).click();
    await page.getByRole("row", { name: /Paged Lead 50/ }).waitFor();
    await page.getByRole("link", { name: "Next page" }).click();
    await page.waitForURL(/\/leads\?after=/);
    const lastRow = page.getByRole("row", { name: /Pat Doe/ });
    await lastRow.waitFor();
    const onPageTwo = page.url();
    await page.reload();
    await lastRow.waitFor();
    expect(page.url()).toBe(onPageTwo);
    expect(await page.getByRole("row").count()).toBe(2); // the header and the one lead
    await page.getByRole("link", { name: "First page" }).click();
    await page.getByRole("row", { name: /Paged Lead 50/ }).waitFor();
  });

  it("signs out; the leads page then sends to sign-in", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${origin}/sign-in`);
    await page.goto(`${origin}/leads`);
    await page.waitForURL(`${origin}/sign-in`);
    await heading("Sign in to Leadwire").waitFor();
    expect((await context.request.get(`${origin}/v1/sessions/current`)).status()).toBe(403);
  });

  it("threw no script error on any page", () => {
    expect(pageErrors).toEqual([]);
  });
});
