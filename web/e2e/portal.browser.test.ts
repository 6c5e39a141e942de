import type { Browser, BrowserContext, Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../../src/domain/events/catalog.js";
import { eventSchemaByType } from "../../test/eventSchemas.js";
import { ADMIN_KEY, type TestApp } from "../../test/harness.js";
import { type Receiver, startReceiver } from "../../test/receiver.js";
import { expectNoSeriousViolations } from "./accessibility.js";
import { launchChromium } from "./chromium.js";
import { saveScreenshot, screenshotDir } from "./screenshots.js";
import { startServedApp } from "./servedApp.js";

/**
 * The Developer Portal in a real Chromium against a listening server and a loopback receiver that
 * fails its first request with a 500 and a body, then succeeds: create an endpoint, rotate its
 * secret and see it once, send a test event, inspect the failed attempt, retry it, filter the log
 * (surviving a reload), the event catalogue and log, API keys. Every wait is on a condition.
 */

const FAILURE_BODY = "receiver down: the database is not answering (request 1)";

let t: TestApp;
let origin: string;
let receiver: Receiver;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
/** What the tests learn as they go. */
let endpointUrl = "";
let endpointId = "";
let rotatedSecret = "";

beforeAll(async () => {
  browser = await launchChromium();
  receiver = await startReceiver((_request, index) =>
    index === 0 ? { status: 500, body: FAILURE_BODY } : { status: 200, body: "ok" },
  );
  endpointUrl = `${receiver.url}/leadwire-hooks`;
  ({ t, origin } = await startServedApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" }));
  context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
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
const portalNav = () => page.getByRole("navigation", { name: "Developer Portal" });
const endpointCard = () => page.getByRole("article", { name: endpointUrl });
const attempt = (n: number) => page.getByRole("article", { name: new RegExp(`^Attempt ${n}: `) });

async function apiGet<T>(path: string): Promise<T> {
  const res = await t.request("GET", path);
  expect(res.status, res.text).toBe(200);
  return res.body as T;
}

describe("the Developer Portal", () => {
  it("signs in and opens the portal from the main navigation", async () => {
    await page.goto(`${origin}/portal`);
    await page.waitForURL(`${origin}/sign-in`);
    await page.getByLabel("API key").fill(ADMIN_KEY);
    await page.getByLabel("API key").press("Enter");
    await page.waitForURL(`${origin}/portal/endpoints`);
    await heading("Webhook endpoints").waitFor();
    expect(await page.title()).toBe("Endpoints · Developer Portal · Leadwire");
    const mainLink = page.getByRole("navigation", { name: "Main" }).getByRole("link", {
      name: "Developer Portal",
    });
    expect(await mainLink.getAttribute("aria-current")).toBe("page");
    for (const name of ["Endpoints", "Deliveries", "Events", "API keys"]) {
      await portalNav().getByRole("link", { name, exact: true }).waitFor();
    }
    await page.getByText("No endpoints yet.").waitFor();
    await expectNoSeriousViolations(page, "portal endpoints (empty)");
  });

  it("creates an endpoint for the receiver, showing its secret once", async () => {
    await page.getByRole("button", { name: "New endpoint" }).click();
    await page.getByLabel("URL").fill(endpointUrl);
    await page.getByLabel("Only these types:").check();
    await page.getByLabel("message.sent").check();
    await page.getByLabel("leadTagged").check();
    await page.getByLabel("Description (optional)").fill("Loopback test receiver");
    await page.getByRole("button", { name: "Create endpoint" }).click();

    const panel = page.getByRole("region", { name: "Endpoint created" });
    await panel.waitFor();
    const secret = await panel.getByLabel("Signing secret").inputValue();
    expect(secret).toMatch(/^whsec_/);
    await expectNoSeriousViolations(page, "portal endpoints (secret shown)");
    await panel.getByRole("button", { name: "Done, hide it" }).click();
    await panel.waitFor({ state: "detached" });
    expect(await page.content()).not.toContain(secret);

    await endpointCard().waitFor();
    await endpointCard().getByText("message.sent, leadTagged").waitFor();
    await endpointCard().getByText("Loopback test receiver").waitFor();
    await endpointCard().getByText("Enabled", { exact: true }).waitFor();
    const { endpoints } = await apiGet<{ endpoints: { id: string; url: string; events: string[] }[] }>(
      "/v1/webhooks/endpoints",
    );
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]).toMatchObject({ url: endpointUrl, events: ["message.sent", "leadTagged"] });
    endpointId = endpoints[0]?.id ?? "";
  });

  it("edits the event filter and switches the endpoint off and on", async () => {
    await endpointCard().getByRole("button", { name: "Edit events" }).click();
    await endpointCard().getByLabel("Every event (*), including types added later").check();
    await endpointCard().getByRole("button", { name: "Save events" }).click();
    await endpointCard().getByText("Every event (*)", { exact: true }).waitFor();

    await endpointCard().getByRole("button", { name: "Disable endpoint" }).click();
    await endpointCard().getByText("turned off by hand").waitFor();
    await endpointCard().getByRole("button", { name: "Enable endpoint" }).click();
    await endpointCard().getByText("Enabled", { exact: true }).waitFor();
    const stored = await apiGet<{ events: string[]; enabled: boolean }>(
      `/v1/webhooks/endpoints/${endpointId}`,
    );
    expect(stored).toMatchObject({ events: ["*"], enabled: true });
  });

  it("rotates the secret and shows the new one once, with a copy button", async () => {
    const before = await apiGet<{ secretPrefix: string }>(`/v1/webhooks/endpoints/${endpointId}`);
    await endpointCard().getByRole("button", { name: "Rotate secret" }).click();
    // The first press asks, moving focus to Cancel; the second acts.
    await expect.poll(() => page.evaluate("document.activeElement?.textContent")).toBe("Cancel");
    await endpointCard().getByRole("button", { name: "Rotate now" }).click();
    const panel = page.getByRole("region", { name: "New signing secret" });
    await panel.waitFor();
    rotatedSecret = await panel.getByLabel("New signing secret").inputValue();
    expect(rotatedSecret).toMatch(/^whsec_/);
    const after = await apiGet<{ secretPrefix: string }>(`/v1/webhooks/endpoints/${endpointId}`);
    expect(rotatedSecret.startsWith(after.secretPrefix.replace(/…$/, ""))).toBe(true);
    expect(after.secretPrefix).not.toBe(before.secretPrefix);

    await panel.getByRole("button", { name: "Copy new signing secret" }).click();
    await panel.getByRole("status").getByText("Copied.").waitFor();
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(rotatedSecret);

    await panel.getByRole("button", { name: "Done, hide it" }).press("Enter");
    await panel.waitFor({ state: "detached" });
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Rotate secret");
    expect(await page.content()).not.toContain(rotatedSecret);
    await page.reload();
    await endpointCard().getByText(after.secretPrefix).waitFor();
    expect(await page.content()).not.toContain(rotatedSecret);
    expect(await page.getByRole("region", { name: "New signing secret" }).count()).toBe(0);
    await expectNoSeriousViolations(page, "portal endpoints (an endpoint)");
  });

  it("sends a test event of a chosen type, which the receiver fails with a 500", async () => {
    await endpointCard().getByLabel("Test event type").selectOption("leadTagged");
    await endpointCard().getByRole("button", { name: "Send test event" }).click();
    await endpointCard()
      .getByRole("status")
      .getByText(/^Failed: HTTP 500 in \d+ ms\./)
      .waitFor();
    expect(receiver.received).toHaveLength(1);
    const request = receiver.received[0];
    const body = request?.body.toString() ?? "";
    expect(JSON.parse(body)).toMatchObject({ event: "leadTagged" });
    // Signed with the secret the portal showed after rotating.
    const headers = {
      "webhook-id": String(request?.headers["webhook-id"]),
      "webhook-timestamp": String(request?.headers["webhook-timestamp"]),
      "webhook-signature": String(request?.headers["webhook-signature"]),
    };
    expect(() => new Webhook(rotatedSecret).verify(body, headers)).not.toThrow();
    // Nothing else is due: a test send is attempted once, by the request itself.
    expect(await t.app.webhooks.runDue()).toBe(0);
    await endpointCard().getByText("Deliveries so far: 0 succeeded, 1 failed, 0 pending").waitFor();
    // The success rate of the last 7 days, as a figure and per hour.
    await endpointCard()
      .getByText(/^Success rate, last 7 days: 0% \(0 of 1 finished deliveries succeeded\)$/)
      .waitFor();
    await endpointCard().getByRole("figure", { name: "Success rate per hour, last 7 days (UTC)" }).waitFor();
  });

  it("shows the failed delivery in the log and its attempt with the response body", async () => {
    await portalNav().getByRole("link", { name: "Deliveries", exact: true }).click();
    await heading("Webhook deliveries").waitFor();
    const row = page.getByRole("row", { name: /leadTagged/ });
    await row.getByText("failed", { exact: true }).waitFor();
    await row.getByText("HTTP 500").waitFor();
    await expectNoSeriousViolations(page, "portal deliveries");

    await row.getByRole("link").click();
    await page.waitForURL(/\/portal\/deliveries\/whd_/);
    await heading("Delivery of leadTagged").waitFor();
    await attempt(1).getByText("HTTP 500").waitFor();
    await attempt(1).getByText(FAILURE_BODY).waitFor();
    await attempt(1)
      .getByText(/^\d+ ms$/)
      .waitFor();
    const eventId = String(receiver.received[0]?.headers["webhook-id"]);
    await attempt(1)
      .getByRole("row", { name: /webhook-id/ })
      .getByText(eventId)
      .waitFor();
    // The headers as stored when the attempt was made: the signatures the receiver got, in full.
    const sent = receiver.received[0]?.headers ?? {};
    for (const name of ["webhook-signature", "x-signature-sha256", "webhook-timestamp", "user-agent"]) {
      const value = String(sent[name]);
      expect(value).not.toBe("undefined");
      await attempt(1)
        .getByRole("row", { name: new RegExp(`^${name} `) })
        .getByText(value, { exact: true })
        .waitFor();
    }
    expect(String(sent["webhook-signature"])).toMatch(/^v1,[A-Za-z0-9+/]+=* v1,/); // both during a rotation
    expect(await attempt(1).getByText("not stored").count()).toBe(0);
    await page.getByText('"event": "leadTagged"').waitFor();
    await expectNoSeriousViolations(page, "portal delivery detail");
  });

  it("retries the delivery: the detail then shows both attempts, the second succeeded", async () => {
    await page.getByRole("button", { name: "Retry", exact: true }).click();
    await page
      .getByRole("status")
      .getByText(/^Queued/)
      .waitFor();
    expect(await t.app.webhooks.runDue()).toBe(1);
    expect(receiver.received).toHaveLength(2);
    await attempt(2).waitFor();
    expect(await attempt(2).getByRole("heading", { level: 3 }).textContent()).toBe("Attempt 2: succeeded");
    await attempt(2).getByText("HTTP 200").waitFor();
    await attempt(2).getByText("ok", { exact: true }).waitFor();
    expect(await attempt(1).getByRole("heading", { level: 3 }).textContent()).toBe("Attempt 1: failed");
    await page.getByText("succeeded", { exact: true }).first().waitFor();
    await saveScreenshot(
      page,
      "delivery-attempts",
      page.getByRole("heading", { name: "Attempts", level: 2 }),
    );
    if (screenshotDir() !== undefined) {
      // The log as it now stands, in a second tab so this one stays on the detail for the next test.
      const log = await context.newPage();
      await log.goto(`${origin}/portal/deliveries`);
      const row = log.getByRole("row", { name: /leadTagged/ });
      await row.getByText("succeeded", { exact: true }).waitFor();
      await row.getByText("HTTP 200").waitFor();
      await saveScreenshot(log, "deliveries-log");
      await log.close();
    }
  });

  it("recovers the endpoint since a time", async () => {
    await page.getByLabel("Recover since").fill("2020-01-01T00:00");
    await page.getByRole("button", { name: "Recover endpoint" }).click();
    // Test sends are never replayed and no real event was missed.
    await page.getByRole("status").getByText("0 deliveries queued again.").waitFor();
  });

  it("keeps the log's filters and page in the URL, so a reload keeps them", async () => {
    // 51 succeeded optOut deliveries (the log shows 50 a page) and one succeeded message.sent.
    for (let i = 0; i < 51; i++) {
      const res = await t.request("POST", `/v1/webhooks/endpoints/${endpointId}/test`, {
        body: { eventType: "optOut" },
      });
      expect((res.body as { succeeded: boolean }).succeeded, res.text).toBe(true);
    }
    await t.request("POST", `/v1/webhooks/endpoints/${endpointId}/test`, {
      body: { eventType: "message.sent" },
    });

    await page.getByRole("link", { name: "Back to the deliveries" }).click();
    await heading("Webhook deliveries").waitFor();
    const filters = page.getByRole("form", { name: "Delivery filters" });
    await filters.getByLabel("Endpoint").selectOption(endpointId);
    await filters.getByLabel("Event type").selectOption("optOut");
    await filters.getByLabel("Status").selectOption("succeeded");
    await filters.getByLabel("Created from").fill("2020-01-01T00:00");
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/status=succeeded/);
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      endpoint: endpointId,
      type: "optOut",
      status: "succeeded",
    });
    expect(new Date(url.searchParams.get("since") ?? "").getFullYear()).toBe(2020);

    const rows = page.getByRole("row");
    await expect.poll(() => rows.count()).toBe(51); // the header and 50 deliveries
    await page.getByRole("link", { name: "Older deliveries" }).click();
    await page.waitForURL(/after=/);
    await expect.poll(() => rows.count()).toBe(2); // the header and the 51st
    const onPageTwo = page.url();

    await page.reload();
    await heading("Webhook deliveries").waitFor();
    expect(page.url()).toBe(onPageTwo);
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByRole("row", { name: /optOut/ }).waitFor();
    await expect.poll(() => filters.getByLabel("Endpoint").inputValue()).toBe(endpointId);
    expect(await filters.getByLabel("Event type").inputValue()).toBe("optOut");
    expect(await filters.getByLabel("Status").inputValue()).toBe("succeeded");
    expect(await filters.getByLabel("Created from").inputValue()).toBe("2020-01-01T00:00");

    await page.getByRole("link", { name: "Newest page" }).click();
    await expect.poll(() => rows.count()).toBe(51);
    await page.getByRole("link", { name: "Clear filters" }).click();
    await page.waitForURL(`${origin}/portal/deliveries`);
    await page.getByRole("row", { name: /message\.sent/ }).waitFor();
  });

  it("shows the event catalogue with a sample and the newest stored payload of each type, and the event log by type", async () => {
    // A real event: an additionalInfo change of a lead (test sends are kept out of the event log).
    const profile = await t.request("POST", "/v1/profiles", {
      body: {
        name: "Portal",
        smsEnabled: true,
        emailEnabled: false,
        initialOutreach: false,
        followUpConfig: {},
      },
    });
    expect(profile.status, profile.text).toBeLessThan(300);
    const lead = await t.request("POST", "/v1/leads/create", {
      body: { firstName: "Ada", lastName: "Byron", phone: "+1 202 555 0177", customerProfile: "Portal" },
    });
    expect(lead.status, lead.text).toBe(200);
    const leadId = (lead.body as { id: string }).id;
    const patched = await t.request("PATCH", `/v1/leads/${leadId}`, {
      body: { additionalInfo: { budget: "12k" } },
    });
    expect(patched.status, patched.text).toBe(200);

    await portalNav().getByRole("link", { name: "Events", exact: true }).click();
    await heading("Events").waitFor();
    const catalogue = page.getByRole("region", { name: "Event catalogue" });
    for (const type of EVENT_TYPES) await catalogue.getByRole("heading", { name: type, level: 3 }).waitFor();
    expect(await catalogue.getByRole("heading", { level: 3 }).count()).toBe(EVENT_TYPES.length);

    // Every type's sample comes from the server, as a receiver gets it: the strict contract accepts it.
    for (const type of EVENT_TYPES) {
      const entry = catalogue.getByRole("article", { name: type, exact: true });
      await entry.getByText(`Sample body of ${type}`, { exact: true }).click();
      const sample = JSON.parse((await entry.locator("pre").first().textContent()) ?? "");
      expect(eventSchemaByType[type].safeParse(sample).error?.issues ?? [], type).toEqual([]);
    }

    // The newest stored event of a type is there too, when one is stored.
    const updated = catalogue.getByRole("article", { name: "lead.additionalInfo.updated" });
    await updated.getByText("Newest stored lead.additionalInfo.updated event").click();
    await updated
      .getByText(/^Payload of the most recent stored lead\.additionalInfo\.updated event/)
      .waitFor();
    await updated.getByText('"budget"').waitFor();
    const optOut = catalogue.getByRole("article", { name: "optOut", exact: true });
    await optOut.getByText("Newest stored optOut event").click();
    await optOut.getByText("No optOut event is stored yet.").waitFor();

    const log = page.getByRole("region", { name: "Event log" });
    await log.getByRole("row", { name: /lead\.additionalInfo\.updated/ }).waitFor();
    await expectNoSeriousViolations(page, "portal events");
    await log.getByLabel("Event type").selectOption("message.sent");
    await log.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/type=message\.sent/);
    await log.getByText("No events match.").waitFor();
    await page.reload();
    await log.getByText("No events match.").waitFor();
    expect(await log.getByLabel("Event type").inputValue()).toBe("message.sent");
    await log.getByRole("link", { name: "Clear filters" }).click();
    await log.getByRole("row", { name: /lead\.additionalInfo\.updated/ }).waitFor();
  });

  it("creates an API key shown once, and revokes it", async () => {
    await portalNav().getByRole("link", { name: "API keys", exact: true }).click();
    await heading("API keys").waitFor();
    await page.getByText("(this session’s key)").waitFor();
    await page.getByLabel("Name").fill("CRM sync");
    await page.getByRole("button", { name: "Create key" }).click();
    const panel = page.getByRole("region", { name: "API key “CRM sync” created" });
    await panel.waitFor();
    const key = await panel.getByLabel("API key").inputValue();
    expect(key).toMatch(/^lw_/);
    expect((await t.request("GET", "/v1/webhooks/endpoints", { key })).status).toBe(200);
    await expectNoSeriousViolations(page, "portal API keys");
    await panel.getByRole("button", { name: "Done, hide it" }).click();
    await panel.waitFor({ state: "detached" });
    expect(await page.content()).not.toContain(key);

    const row = page.getByRole("row", { name: /CRM sync/ });
    await row.getByRole("button", { name: "Revoke CRM sync" }).press("Enter");
    await row.getByRole("button", { name: "Revoke for good" }).click();
    await row.waitFor({ state: "detached" });
    expect((await t.request("GET", "/v1/webhooks/endpoints", { key })).status).toBe(403);
  });

  it("deletes the endpoint", async () => {
    await portalNav().getByRole("link", { name: "Endpoints", exact: true }).click();
    // The retried test send and the 52 later ones all succeeded; the lead's event is still pending.
    await endpointCard()
      .getByText(/^Success rate, last 7 days: 100% \(53 of 53 finished deliveries succeeded\)$/)
      .waitFor();
    await endpointCard().getByRole("button", { name: "Delete endpoint" }).click();
    await endpointCard().getByRole("button", { name: "Delete for good" }).click();
    await page.getByText("No endpoints yet.").waitFor();
    expect((await apiGet<{ endpoints: unknown[] }>("/v1/webhooks/endpoints")).endpoints).toEqual([]);
  });

  it("threw no script error on any page", () => {
    expect(pageErrors).toEqual([]);
  });
});
