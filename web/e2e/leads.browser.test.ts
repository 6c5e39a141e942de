import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, type TestApp } from "../../test/harness.js";
import { expectNoSeriousViolations } from "./accessibility.js";
import { launchChromium } from "./chromium.js";
import { startServedApp } from "./servedApp.js";

/**
 * The Leads and Lead screens in a real Chromium: leads seeded through the API, searched and
 * filtered in the UI (the filters live in the URL, so a reload and a shared link keep them),
 * then one lead tagged, its follow-up step and additionalInfo changed, its timeline narrowed,
 * and put on do-not-contact. Every wait is on a condition, never a fixed sleep.
 */

let t: TestApp;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const ids: Record<string, string> = {};
let vipTagId = "";

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await t.request(method, url, body === undefined ? {} : { body });
  expect(res.status, `${method} ${url}: ${res.text}`).toBeLessThan(300);
  return res.body as T;
}

async function seed(): Promise<void> {
  const steps = { 1: { hours: 24, channel: "text" }, 2: { hours: 48, channel: "text" } };
  await api("POST", "/v1/profiles", { name: "Roofing", followUpConfig: steps });
  await api("POST", "/v1/profiles", { name: "Solar" });
  vipTagId = (await api<{ id: string }>("POST", "/v1/tags", { name: "VIP" })).id;
  const { tags } = await api<{ tags: { id: string; name: string }[] }>("GET", "/v1/tags");
  const builtIn = (name: string) => tags.find((tag) => tag.name === name)?.id ?? "";
  const leads = [
    ["ann", "Ann", "Smith", "+1 202 555 0101", "Roofing", "ann.smith@example.com"],
    ["bob", "Bob", "Annan", "+1 202 555 0102", "Solar", undefined],
    ["carla", "Carla", "Diaz", "+1 303 555 0199", "Roofing", "carla@annex.io"],
    ["dmitri", "Dmitri", "Ivanov", "+1 415 555 0123", "Solar", undefined],
  ] as const;
  for (const [key, firstName, lastName, phone, customerProfile, email] of leads) {
    const body = { firstName, lastName, phone, customerProfile, ...(email === undefined ? {} : { email }) };
    ids[key] = (await api<{ id: string }>("POST", "/v1/leads/create", body)).id;
  }
  // Built-in tags set their flags: Ann is hot, Bob has replied.
  await api("PUT", `/v1/leads/${ids.ann}/tags`, { tagIds: [builtIn("isHot")] });
  await api("PUT", `/v1/leads/${ids.bob}/tags`, { tagIds: [builtIn("hasReplied")] });
  await api("POST", `/v1/leads/${ids.ann}/addContext`, { context: "Called about a leaking roof." });
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
const leadRows = () => page.getByRole("row").filter({ has: page.getByRole("cell") });
const rowNames = async () => (await leadRows().getByRole("link").allTextContents()).sort();
const thread = () => page.getByRole("log", { name: "Conversation" });
const filters = () => page.getByRole("form", { name: "Search leads" });

/** Waits until the list shows exactly these leads (any order). */
async function expectLeads(names: string[]): Promise<void> {
  await expect.poll(rowNames).toEqual([...names].sort());
}

describe("searching and filtering leads", () => {
  it("signs in and lists every lead, newest first", async () => {
    await page.goto(`${origin}/sign-in`);
    await page.getByLabel("API key").fill(ADMIN_KEY);
    await page.getByLabel("API key").press("Enter");
    await page.getByRole("link", { name: "Leads", exact: true }).click();
    await heading("Leads").waitFor();
    await expectLeads(["Ann Smith", "Bob Annan", "Carla Diaz", "Dmitri Ivanov"]);
    expect(await leadRows().first().getByRole("link").textContent()).toBe("Dmitri Ivanov");
    await leadRows().filter({ hasText: "Ann Smith" }).getByText("Hot", { exact: true }).waitFor();
    await leadRows().filter({ hasText: "Bob Annan" }).getByText("Replied", { exact: true }).waitFor();
  });

  it("searches by name, email and phone digits", async () => {
    const search = filters().getByLabel("Search", { exact: true });
    await search.fill("ann");
    await search.press("Enter");
    await page.waitForURL(/\/leads\?q=ann$/);
    // Ann (name), Bob Annan (last name), Carla (carla@annex.io).
    await expectLeads(["Ann Smith", "Bob Annan", "Carla Diaz"]);
    await search.fill("(415) 555");
    await search.press("Enter");
    await expectLeads(["Dmitri Ivanov"]);
    await search.fill("nobody-here");
    await search.press("Enter");
    await page.getByText("No leads match this search.").waitFor();
  });

  it("combines filters, keeps them in the URL and shows the same after a reload", async () => {
    await filters().getByLabel("Search", { exact: true }).fill("ann");
    await filters().getByLabel("Profile").selectOption("Roofing");
    await filters().getByLabel("Hot", { exact: true }).selectOption("true");
    await filters().getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("isHot") === "true");
    await expectLeads(["Ann Smith"]);
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: "ann", profile: "Roofing", isHot: "true" });

    await page.reload();
    await heading("Leads").waitFor();
    await expectLeads(["Ann Smith"]);
    expect(page.url()).toBe(url.toString());
    expect(await filters().getByLabel("Search", { exact: true }).inputValue()).toBe("ann");
    await expect.poll(() => filters().getByLabel("Profile").inputValue()).toBe("Roofing");
    expect(await filters().getByLabel("Hot", { exact: true }).inputValue()).toBe("true");
    await expectNoSeriousViolations(page, "leads with filters");

    await page.getByRole("link", { name: "Clear filters" }).click();
    await page.waitForURL(`${origin}/leads`);
    await expectLeads(["Ann Smith", "Bob Annan", "Carla Diaz", "Dmitri Ivanov"]);
  });

  it("shows the API's answer to a bad value in a shared link", async () => {
    await page.goto(`${origin}/leads?followUpStep=0`);
    await page
      .getByRole("alert")
      .getByText(/Could not load the leads/)
      .waitFor();
    await page.getByRole("link", { name: "Clear filters" }).click();
    await expectLeads(["Ann Smith", "Bob Annan", "Carla Diaz", "Dmitri Ivanov"]);
  });
});

describe("working on one lead", () => {
  it("opens a lead from the list", async () => {
    await page.getByRole("link", { name: "Ann Smith", exact: true }).click();
    await page.waitForURL(`${origin}/leads/${ids.ann}`);
    await heading("Ann Smith").waitFor();
    await thread().getByText("Called about a leaking roof.").waitFor();
  });

  it("narrows the timeline by type, in the URL", async () => {
    await page.getByRole("checkbox", { name: "SMS" }).check();
    await page.waitForURL((url) => url.searchParams.get("types") === "MESSAGE");
    await thread().getByText("Nothing of these types yet.").waitFor();
    await page.getByRole("checkbox", { name: "Context notes" }).check();
    await thread().getByText("Called about a leaking roof.").waitFor();
    expect(new URL(page.url()).searchParams.get("types")).toBe("MESSAGE,CUSTOM");
    await page.reload();
    await thread().getByText("Called about a leaking roof.").waitFor();
    expect(await page.getByRole("checkbox", { name: "SMS" }).isChecked()).toBe(true);
    await page.getByRole("checkbox", { name: "SMS" }).uncheck();
    await page.getByRole("checkbox", { name: "Context notes" }).uncheck();
    await page.waitForURL(`${origin}/leads/${ids.ann}`);
  });

  it("tags the lead", async () => {
    const tagsSection = page.getByRole("region", { name: "Tags" });
    expect(await tagsSection.getByRole("checkbox", { name: "isHot" }).isChecked()).toBe(true);
    await tagsSection.getByRole("checkbox", { name: "VIP" }).check();
    await tagsSection.getByRole("button", { name: "Save tags" }).click();
    await page.getByRole("status").getByText("Tags saved.").waitFor();
    await page.locator(".lead-header").getByText(/VIP/).waitFor();
    const lead = await api<{ tags: { id: string }[] }>("GET", `/v1/leads/${ids.ann}`);
    expect(lead.tags.map((tag) => tag.id)).toContain(vipTagId);
  });

  it("changes the follow-up step and shows when the next one is due", async () => {
    const followUp = page.getByRole("region", { name: "Follow-up" });
    await followUp.getByText("Step 1 of 2").waitFor();
    await followUp.getByLabel("Follow-up step").selectOption({ label: "Step 2" });
    await followUp.getByRole("button", { name: "Change step" }).click();
    await followUp.getByRole("status").getByText("Follow-up set to step 2.").waitFor();
    await followUp.getByText("Step 2 of 2").waitFor();
    const lead = await api<{ followUpStep: number; nextFollowUpAt: string | null }>(
      "GET",
      `/v1/leads/${ids.ann}`,
    );
    expect(lead.followUpStep).toBe(2);
    expect(lead.nextFollowUpAt).not.toBeNull();
    await followUp.locator(`time[datetime="${lead.nextFollowUpAt}"]`).waitFor();
  });

  it("edits additionalInfo (merge: add, replace, remove)", async () => {
    const info = page.getByRole("region", { name: "Additional info" });
    await info.getByLabel("Field").fill("budget");
    await info.getByLabel("Value").fill("5000");
    await info.getByRole("button", { name: "Save field" }).click();
    await info.getByRole("list", { name: "Additional info" }).getByText("5000").waitFor();
    await info.getByRole("button", { name: "Edit budget" }).click();
    await info.getByLabel("Value").fill("8000");
    await info.getByRole("button", { name: "Save field" }).click();
    await info.getByRole("list", { name: "Additional info" }).getByText("8000").waitFor();
    expect(await api("GET", `/v1/leads/${ids.ann}`)).toMatchObject({ additionalInfo: { budget: "8000" } });
    await info.getByRole("button", { name: "Remove budget" }).click();
    await info.getByText("Nothing recorded yet.").waitFor();
  });

  it("puts the lead on do-not-contact after a confirm step", async () => {
    const dnc = page.getByRole("region", { name: "Do not contact" });
    await dnc.getByRole("button", { name: "Do not contact…" }).click();
    // The question comes first; Cancel leaves everything as it was.
    await dnc.getByText("Stop all contact with Ann Smith?").waitFor();
    await dnc.getByRole("button", { name: "Cancel" }).click();
    await dnc.getByRole("button", { name: "Do not contact…" }).click();
    await expectNoSeriousViolations(page, "lead with the do-not-contact question");
    await dnc.getByRole("button", { name: "Yes, do not contact" }).click();
    await dnc.getByText(/^On the do-not-contact list since/).waitFor();
    await page.getByRole("list", { name: "Flags" }).getByText("Unsubscribed").waitFor();
    expect(await api("GET", `/v1/dnc/${encodeURIComponent("+12025550101")}`)).toMatchObject({ onList: true });
    await expectNoSeriousViolations(page, "lead");
  });

  it("finds the lead again by its new tag, step and flag from a shared link", async () => {
    await page.goto(`${origin}/leads?tag=VIP&followUpStep=2&isUnsubscribed=true`);
    await heading("Leads").waitFor();
    await expectLeads(["Ann Smith"]);
    await expect.poll(() => filters().getByLabel("Tag", { exact: true }).inputValue()).toBe("VIP");
    await expect.poll(() => filters().getByLabel("Follow-up").inputValue()).toBe("2");
    expect(await filters().getByLabel("Unsubscribed").inputValue()).toBe("true");
    await page.goto(`${origin}/leads?isUnsubscribed=false`);
    await expectLeads(["Bob Annan", "Carla Diaz", "Dmitri Ivanov"]);
  });

  it("threw no script error on any page", () => {
    expect(pageErrors).toEqual([]);
  });
});
