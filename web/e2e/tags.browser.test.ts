import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, type TestApp } from "../../test/harness.js";
import { expectNoSeriousViolations } from "./accessibility.js";
import { type BrowserSession, openBrowserSession } from "./browserSession.js";
import { saveScreenshot } from "./screenshots.js";

/**
 * The Tags screen in a real Chromium: the built-in tags listed, a tag created (and a duplicate
 * name refused with the API's error), its condition edited, then deleted after the confirm step;
 * each change checked through the API too. Every wait is on a condition.
 */

let session: BrowserSession;
let t: TestApp;
let origin: string;
let page: Page;

interface ApiTag {
  id: string;
  name: string;
  condition?: string;
  isManual: boolean;
}

async function apiTags(): Promise<ApiTag[]> {
  const res = await t.request("GET", "/v1/tags");
  expect(res.status, res.text).toBe(200);
  return (res.body as { tags: ApiTag[] }).tags;
}

beforeAll(async () => {
  session = await openBrowserSession();
  ({ t, origin, page } = session);
});

afterAll(() => session?.close());

const heading = (name: string) => page.getByRole("heading", { name, level: 1 });
const tagRow = (name: string) =>
  page.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
const newTagForm = () => page.getByRole("form", { name: "New tag" });

describe("managing tags", () => {
  it("signs in and lists the built-in tags, which cannot be deleted", async () => {
    await page.goto(`${origin}/sign-in`);
    await page.getByLabel("API key").fill(ADMIN_KEY);
    await page.getByLabel("API key").press("Enter");
    await heading("Overview").waitFor();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tags" }).click();
    await heading("Tags").waitFor();
    for (const name of ["hasReplied", "isHot", "isQualified"]) {
      const row = tagRow(name);
      await row.getByText("Built-in", { exact: true }).waitFor();
      expect(await row.getByRole("button", { name: /^Delete/ }).count()).toBe(0);
    }
    await tagRow("isHot").getByText("The lead shows strong buying intent.").waitFor();
    await expectNoSeriousViolations(page, "tags");
  });

  it("creates a tag with a condition, and shows the API's error for a taken name", async () => {
    await newTagForm().getByLabel("Name").fill("Roof leak");
    await newTagForm().getByLabel("Condition").fill("The lead mentions water coming through the roof.");
    await newTagForm().getByRole("button", { name: "Create tag" }).click();
    await newTagForm().getByText("Tag “Roof leak” created.").waitFor();
    const row = tagRow("Roof leak");
    await row.getByText("Manual", { exact: true }).waitFor();
    await row.getByText("The lead mentions water coming through the roof.").waitFor();
    expect(await newTagForm().getByLabel("Name").inputValue()).toBe("");
    expect((await apiTags()).find((tag) => tag.name === "Roof leak")).toMatchObject({
      condition: "The lead mentions water coming through the roof.",
      isManual: true,
    });

    await newTagForm().getByLabel("Name").fill("Roof leak");
    await newTagForm().getByRole("button", { name: "Create tag" }).click();
    await newTagForm().getByRole("alert").getByText('A tag named "Roof leak" already exists.').waitFor();
    // The field problem sits under the Name box, which says it is invalid.
    expect(await newTagForm().getByLabel("Name").getAttribute("aria-invalid")).toBe("true");
    await newTagForm().getByText("already taken", { exact: true }).waitFor();
    await expectNoSeriousViolations(page, "tags with a form error");
    expect((await apiTags()).filter((tag) => tag.name === "Roof leak")).toHaveLength(1);
  });

  it("edits a tag's condition in place", async () => {
    const row = tagRow("Roof leak");
    await row.getByRole("button", { name: "Edit condition of Roof leak" }).click();
    const box = row.getByLabel("Condition of Roof leak");
    await expect.poll(() => box.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(await box.inputValue()).toBe("The lead mentions water coming through the roof.");
    await box.fill("The lead reports a leaking roof or ceiling stains.");
    await expectNoSeriousViolations(page, "tags while editing a condition");
    await saveScreenshot(page, "tags");
    await row.getByRole("button", { name: "Save condition" }).click();
    await row.getByText("The lead reports a leaking roof or ceiling stains.").waitFor();
    const edit = row.getByRole("button", { name: "Edit condition of Roof leak" });
    await expect.poll(() => edit.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect((await apiTags()).find((tag) => tag.name === "Roof leak")?.condition).toBe(
      "The lead reports a leaking roof or ceiling stains.",
    );

    // A condition over the API's 500 characters is refused; cancelling leaves the saved one.
    await edit.click();
    // The box's maxlength stops typing past 500; lift it to see the API's own answer.
    await box.evaluate((el) => el.removeAttribute("maxlength"));
    await box.fill("x".repeat(501));
    await row.getByRole("button", { name: "Save condition" }).click();
    await row.getByRole("alert").waitFor();
    expect(await box.getAttribute("aria-invalid")).toBe("true");
    await row.getByRole("button", { name: "Cancel" }).click();
    await row.getByText("The lead reports a leaking roof or ceiling stains.").waitFor();
  });

  it("deletes a tag after the confirm step", async () => {
    const row = tagRow("Roof leak");
    await row.getByRole("button", { name: "Delete Roof leak" }).click();
    await row.getByText("It is taken off every lead that has it.").waitFor();
    // Cancel first: nothing happens.
    await row.getByRole("button", { name: "Cancel" }).click();
    await row.getByRole("button", { name: "Delete Roof leak" }).click();
    await row.getByRole("button", { name: "Delete for good" }).click();
    await row.waitFor({ state: "detached" });
    expect((await apiTags()).map((tag) => tag.name).sort()).toEqual(["hasReplied", "isHot", "isQualified"]);
  });

  it("raised no page errors", () => {
    expect(session.pageErrors).toEqual([]);
  });
});
