import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium: playwright-core downloads no browser here. */
export const CHROMIUM = "/usr/bin/chromium";

/** Headless Chromium, or a clear failure (never a skip) when the Debian package is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}. The browser tests drive Debian's Chromium: install the Debian package ` +
        "`chromium` (apt-get install --no-install-recommends chromium; .ci/run does this in CI).",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
