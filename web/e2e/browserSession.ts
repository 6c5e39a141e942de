import type { Page } from "playwright-core";
import type { TestApp } from "../../test/harness.js";
import { launchChromium } from "./chromium.js";
import { startServedApp } from "./servedApp.js";

export interface BrowserSession {
  t: TestApp;
  origin: string;
  page: Page;
  /** Uncaught errors of the page, for a test to expect none. */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Debian's Chromium, the API role serving the built app on a real port, and one page whose waits
 * time out after 15 s. `env` adds server settings (see startServedApp).
 */
export async function openBrowserSession(env: Record<string, string> = {}): Promise<BrowserSession> {
  const browser = await launchChromium();
  try {
    const { t, origin } = await startServedApp(env);
    const context = await browser.newContext();
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    const close = async () => {
      await context.close();
      await browser.close();
      await t.close();
    };
    return { t, origin, page, pageErrors, close };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
