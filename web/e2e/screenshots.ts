import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";

/** The README's screens are this size: wide enough for the layout, small enough to read. */
export const SCREENSHOT_VIEWPORT = { width: 1280, height: 800 };

/** Where screenshots go, or undefined when none are wanted (SCREENSHOT_DIR unset or empty). */
export function screenshotDir(): string | undefined {
  const dir = process.env.SCREENSHOT_DIR;
  return dir === undefined || dir === "" ? undefined : dir;
}

/**
 * `SCREENSHOT_DIR=docs/screenshots npx vitest run --project browser` (after `npm run build`)
 * saves `${SCREENSHOT_DIR}/${name}.png`, the visible part of the page at 1280×800, for the
 * README. Without SCREENSHOT_DIR it does nothing. `scrollTo`, when given, is scrolled to the top
 * of the view first. The page's own viewport is put back afterwards.
 */
export async function saveScreenshot(page: Page, name: string, scrollTo?: Locator): Promise<void> {
  const dir = screenshotDir();
  if (dir === undefined) return;
  await mkdir(dir, { recursive: true });
  const before = page.viewportSize();
  await page.setViewportSize(SCREENSHOT_VIEWPORT);
  await scrollTo?.evaluate((element) => element.scrollIntoView({ block: "start" }));
  // Two frames: the layout (and any chart listening for resizes) has caught up with the new size.
  await page.evaluate(
    "new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(undefined))))",
  );
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false, animations: "disabled" });
  if (before !== null) await page.setViewportSize(before);
}
