import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { freshDatabase, testConfig } from "../../../test/harness.js";
import { createApp } from "../../app.js";

const database = freshDatabase();
afterAll(() => database.drop());

describe("first start without BOOTSTRAP_API_KEY", () => {
  it("creates org default with one admin key, handed out once and never logged", async () => {
    const lines: string[] = [];
    const config = { ...testConfig(database.env), bootstrapApiKey: undefined };
    const captured = pino({ level: "warn" }, { write: (line: string) => lines.push(line) });
    const first = await createApp(config, { role: "api", logger: captured });
    const key = first.firstAdminKey;
    expect(key).toMatch(/^lw_/);
    expect(lines.join("\n")).toContain("first start: created org 'default'");
    expect(lines.join("\n")).not.toContain(key ?? "lw_");
    const res = await first.http.inject({
      method: "GET",
      url: "/v1/api-keys",
      headers: { "x-api-key": key ?? "" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ apiKeys: [{ name: "first-run", isAdmin: true }] });
    await first.close();

    lines.length = 0;
    const second = await createApp(config, { role: "api", logger: captured });
    await second.close();
    expect(second.firstAdminKey).toBeUndefined();
    expect(lines.join("")).not.toContain("first start");
  });
});
