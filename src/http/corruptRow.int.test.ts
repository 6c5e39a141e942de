import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ADMIN_KEY, freshDatabase, testConfig } from "../../test/harness.js";
import { type App, createApp } from "../app.js";
import { ManualClock } from "../clock.js";

/** A row whose stored JSON is corrupt: a 500 that says nothing more, and a log line that names it. */
const database = freshDatabase();
const lines: string[] = [];
let app: App;

const logLineSchema = z.object({
  msg: z.string(),
  err: z.object({
    type: z.string(),
    message: z.string(),
    table: z.string(),
    column: z.string(),
    rowId: z.string(),
  }),
});

async function call(method: "GET" | "POST", url: string, body?: object) {
  const res = await app.http.inject({ method, url, headers: { "x-api-key": ADMIN_KEY }, payload: body });
  return { status: res.statusCode, body: z.record(z.string(), z.unknown()).parse(res.json()) };
}

beforeAll(async () => {
  app = await createApp(testConfig(database.env), {
    role: "api",
    clock: new ManualClock("2024-01-15T14:30:00.000Z"),
    logger: pino({ level: "error" }, { write: (line: string) => lines.push(line) }),
  });
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

describe("a corrupt stored JSON value", () => {
  it("answers 500 INTERNAL without details and logs the table, column and row", async () => {
    expect((await call("POST", "/v1/profiles", { name: "P" })).status).toBe(201);
    const created = await call("POST", "/v1/leads/create", {
      firstName: "Ada",
      lastName: "Lovelace",
      phone: "+1 202 555 0142",
      customerProfile: "P",
      additionalInfo: { budget: 100 },
    });
    expect(created.status).toBe(200);
    const leadId = z.string().parse(created.body.id);
    expect((await call("GET", `/v1/leads/${leadId}`)).status).toBe(200);

    await app.database.db
      .updateTable("leads")
      .set({ additional_info: '["budget", 100]' })
      .where("id", "=", leadId)
      .execute();
    lines.length = 0;
    const res = await call("GET", `/v1/leads/${leadId}`);
    expect(res).toEqual({
      status: 500,
      body: { code: "INTERNAL", message: "Internal server error.", details: [] },
    });

    const logged = lines.map((line) => logLineSchema.safeParse(JSON.parse(line))).find((l) => l.success);
    expect(logged?.data).toMatchObject({
      msg: "unhandled error",
      err: { type: "CorruptRowError", table: "leads", column: "additional_info", rowId: leadId },
    });
    expect(logged?.data?.err.message).toMatch(
      new RegExp(`^Corrupt stored JSON in leads\\.additional_info, row ${leadId}: \\(root\\): `),
    );
  });
});
