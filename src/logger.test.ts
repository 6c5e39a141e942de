import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, wantsPrettyLogs } from "./logger.js";

function capture(format: "auto" | "json" | "pretty", isTerminal: boolean) {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  const logger = createLogger({ logLevel: "info", logFormat: format }, isTerminal, stream);
  return { logger, text: () => text };
}

describe("log format", () => {
  it("is for a person on a terminal and JSON otherwise, unless chosen", () => {
    expect(wantsPrettyLogs("auto", true)).toBe(true);
    expect(wantsPrettyLogs("auto", false)).toBe(false);
    expect(wantsPrettyLogs("json", true)).toBe(false);
    expect(wantsPrettyLogs("pretty", false)).toBe(true);
  });

  it("writes one JSON object per line when not on a terminal, secrets redacted", () => {
    const { logger, text } = capture("auto", false);
    logger.info({ org: { apiKey: "lw_secret_value" } }, "org created");
    const line: unknown = JSON.parse(text().trim());
    expect(line).toMatchObject({ msg: "org created", level: 30, org: { apiKey: "[redacted]" } });
  });

  it("writes readable lines when pretty, secrets still redacted", () => {
    const { logger, text } = capture("pretty", false);
    logger.info({ org: { apiKey: "lw_secret_value" } }, "org created");
    expect(text()).toMatch(/INFO.*org created/);
    expect(text()).not.toContain("lw_secret_value");
    expect(() => JSON.parse(text().trim())).toThrow();
  });
});
