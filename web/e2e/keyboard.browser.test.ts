import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, type TestApp } from "../../test/harness.js";
import { type BrowserSession, openBrowserSession } from "./browserSession.js";

/**
 * The app with the keyboard only (Tab, Shift+Tab, Enter, Space; no click, no fill, no focus()):
 * sign in, reach the main navigation, open Leads, search, open a lead. At every step the focused
 * element (document.activeElement) is the expected one, on screen and drawn with a focus outline;
 * after a screen change focus is on the new screen's main region, not lost to the page.
 */

let session: BrowserSession;
let t: TestApp;
let origin: string;
let page: Page;

interface Focused {
  tag: string;
  text: string;
  focusVisible: boolean;
  /** An outline or a box shadow is drawn around it. */
  ring: boolean;
  onScreen: boolean;
}

/** What has focus now, and whether a person can see that it does. */
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (el === null || el === document.body) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.getAttribute("aria-label") ?? el.textContent ?? "").trim().replace(/\\s+/g, " "),
    focusVisible: el.matches(":focus-visible"),
    ring: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none",
    onScreen: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0 &&
      rect.top < innerHeight && rect.left < innerWidth,
  };
})()`;

const focused = () => page.evaluate<Focused | null>(FOCUSED);

/** `locator` holds focus, and it shows: on screen, matching :focus-visible, with an outline. */
async function expectVisibleFocusOn(locator: Locator, what: string): Promise<void> {
  await expect
    .poll(() => locator.evaluate((el) => el === el.ownerDocument.activeElement), { message: what })
    .toBe(true);
  const now = await focused();
  expect(now, what).toMatchObject({ focusVisible: true, ring: true, onScreen: true });
}

/** Whatever holds focus now is visibly focused (used while tabbing through a screen). */
async function expectSomethingVisiblyFocused(step: string): Promise<Focused> {
  const now = await focused();
  expect(now, `${step}: focus was lost to the page`).not.toBeNull();
  expect(now, step).toMatchObject({ focusVisible: true, ring: true, onScreen: true });
  return now as Focused;
}

/** Presses Tab until `target` has focus (at most `max` times), checking focus is visible at each stop. */
async function tabTo(target: Locator, what: string, max = 30): Promise<void> {
  for (let step = 1; step <= max; step++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) {
      await expectVisibleFocusOn(target, what);
      return;
    }
    await expectSomethingVisiblyFocused(`Tab ${step} on the way to ${what}`);
  }
  throw new Error(`${what} not reached in ${max} presses of Tab`);
}

/** After a screen change, focus is on the main region (so Tab continues in the new screen). */
async function expectFocusOnMain(): Promise<void> {
  const main = page.getByRole("main");
  await expect.poll(() => main.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
}

async function api(method: string, url: string, body?: unknown): Promise<unknown> {
  const res = await t.request(method, url, body === undefined ? {} : { body });
  expect(res.status, `${method} ${url}: ${res.text}`).toBeLessThan(300);
  return res.body;
}

beforeAll(async () => {
  session = await openBrowserSession();
  ({ t, origin, page } = session);
  await api("POST", "/v1/profiles", { name: "Keys" });
  for (const [firstName, lastName, phone] of [
    ["Ann", "Smith", "+1 202 555 0141"],
    ["Bob", "Jones", "+1 202 555 0142"],
  ]) {
    await api("POST", "/v1/leads/create", { firstName, lastName, phone, customerProfile: "Keys" });
  }
});

afterAll(() => session?.close());

const heading = (name: string) => page.getByRole("heading", { name, level: 1 });
const mainNav = () => page.getByRole("navigation", { name: "Main" });

describe("the app by keyboard alone", () => {
  it("signs in with Tab, typing and Space", async () => {
    await page.goto(`${origin}/sign-in`);
    await heading("Sign in to Leadwire").waitFor();
    await tabTo(page.getByLabel("API key"), "the API key box");
    await page.keyboard.type(ADMIN_KEY);
    await tabTo(page.getByRole("button", { name: "Sign in" }), "the Sign in button", 1);
    await page.keyboard.press("Space");
    await heading("Overview").waitFor();
  });

  it("reaches the main navigation and opens Leads with Enter", async () => {
    await tabTo(page.getByRole("link", { name: "Skip to content" }), "the skip link", 1);
    await tabTo(
      mainNav().getByRole("link", { name: "Overview" }),
      "the first link of the main navigation",
      1,
    );
    await tabTo(mainNav().getByRole("link", { name: "Leads" }), "Leads in the main navigation", 1);
    await page.keyboard.press("Enter");
    await heading("Leads").waitFor();
    await page.waitForURL(`${origin}/leads`);
    await expectFocusOnMain();
  });

  it("focuses the search field and searches with Enter", async () => {
    const search = page.getByRole("form", { name: "Search leads" }).getByLabel("Search", { exact: true });
    await tabTo(search, "the search field", 5);
    await page.keyboard.type("Ann");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/leads\?q=Ann$/);
    await page.getByRole("link", { name: "Bob Jones" }).waitFor({ state: "detached" });
    await expectVisibleFocusOn(search, "the search field after searching");
  });

  it("tabs to a lead in the list and opens it with Enter", async () => {
    await tabTo(page.getByRole("link", { name: "Ann Smith" }), "the lead's link in the list");
    await page.keyboard.press("Enter");
    await heading("Ann Smith").waitFor();
    await expectFocusOnMain();
    // From the new screen, Tab goes on inside it and Shift+Tab back to the header.
    await page.keyboard.press("Tab");
    const first = await expectSomethingVisiblyFocused("first Tab on the lead's screen");
    expect(first.text).not.toBe("Skip to content");
    await page.keyboard.press("Shift+Tab");
    await expectVisibleFocusOn(
      page.getByRole("button", { name: "Sign out" }),
      "Sign out, before the main region",
    );
  });

  it("raised no page errors", () => {
    expect(session.pageErrors).toEqual([]);
  });
});
