import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import type { ListDevOutboxResponse } from "../messages/listDevOutbox.js";
import type { GetLeadResponse } from "./getLead.js";
import type { ListLeadTimelineResponse } from "./listLeadTimeline.js";

let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  await t.request("POST", "/v1/profiles", {
    key,
    body: {
      name: "P",
      followUpConfig: { "1": { hours: 24, channel: "text" } },
      followUpTemplates: { "1": { text: "Still there, {{firstName}}?" } },
    },
  });
});
afterAll(() => t.close());

let phone = 100;
async function newLead(): Promise<string> {
  return createLead(t, key, {
    firstName: "Kim",
    lastName: "Lee",
    phone: `+1312555${String(phone++).padStart(4, "0")}`,
    customerProfile: "P",
    timeZone: "America/Chicago",
  });
}

const command = (leadId: string, text: string) =>
  t.request("POST", `/v1/leads/${leadId}/addContext`, { key, body: { command: text } });

const lead = async (leadId: string) => (await t.get<GetLeadResponse>(`/v1/leads/${leadId}`, { key })).body;

async function lastToolCall(leadId: string) {
  const res = await t.get<ListLeadTimelineResponse>(
    `/v1/leads/${leadId}/events?since=2024-01-01T00:00:00Z&types=TOOL_CALL`,
    { key },
  );
  return res.body.events.at(-1)?.data;
}

describe("addContext commands", () => {
  it("follows up at a time in the lead's zone", async () => {
    // Monday 2024-01-15 08:30 in Chicago.
    t.clock.set("2024-01-15T14:30:00.000Z");
    const id = await newLead();
    const res = await command(id, "follow up on Friday at 10am");
    expect(res.status).toBe(200);
    expect(await lead(id)).toMatchObject({ followUpStep: 1, nextFollowUpAt: "2024-01-19T16:00:00.000Z" });
    expect(await lastToolCall(id)).toMatchObject({
      tool: "run_command",
      brain: "rules",
      result: "follow-up scheduled",
    });
    // A day without a time means 10:00 in the lead's zone.
    await command(id, "follow up in 2 days");
    expect((await lead(id)).nextFollowUpAt).toBe("2024-01-17T16:00:00.000Z");
  });

  it("stops follow-ups and turns the assistant off", async () => {
    const id = await newLead();
    await command(id, "follow up tomorrow at 9");
    expect((await command(id, "stop follow-ups")).status).toBe(200);
    expect(await lead(id)).toMatchObject({ followUpStep: -1, nextFollowUpAt: null });
    expect((await command(id, "turn off the AI")).status).toBe(200);
    expect((await lead(id)).isAiOn).toBe(false);
    expect(await lastToolCall(id)).toMatchObject({ result: "assistant off" });
  });

  it("sends a message now, as a person's message", async () => {
    t.clock.set("2024-01-15T18:00:00.000Z");
    const id = await newLead();
    expect((await command(id, "text them that the installer is running 15 minutes late")).status).toBe(200);
    await t.app.messages.runDue();
    const outbox = await t.get<ListDevOutboxResponse>("/v1/dev/outbox", { key });
    expect(outbox.body.messages[0]?.body).toBe("The installer is running 15 minutes late");
    const row = await t.app.database.db
      .selectFrom("messages")
      .select(["author", "status"])
      .where("lead_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ author: "person", status: "sent" });
  });

  it("answers 400 naming command, and changes nothing, when it cannot carry the command out", async () => {
    const id = await newLead();
    const before = await lead(id);
    const timelineBefore = await t.request("GET", `/v1/leads/${id}/events?since=2024-01-01T00:00:00Z`, {
      key,
    });
    for (const text of ["make them a sandwich", "follow up yesterday", "send:"]) {
      const res = await command(id, text);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: "VALIDATION_FAILED", details: [{ path: "command" }] });
    }
    expect(await lead(id)).toEqual(before);
    const timelineAfter = await t.request("GET", `/v1/leads/${id}/events?since=2024-01-01T00:00:00Z`, {
      key,
    });
    expect(timelineAfter.body).toEqual(timelineBefore.body);
  });
});
