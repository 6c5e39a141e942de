import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAi, startFakeOpenAi } from "../fakeOpenAi.js";
import { startTestApp, type TestApp } from "../harness.js";

// An org names its own model server in settings; like a webhook URL, it may not be on this
// machine or a private network (unless WEBHOOK_ALLOW_PRIVATE_TARGETS): the turn falls back to the
// rules brain and the timeline says why. The server's own LLM_BASE_URL is the operator's choice.

let t: TestApp;
let llm: FakeOpenAi;
let key: string;

beforeAll(async () => {
  llm = await startFakeOpenAi();
  t = await startTestApp();
  t.clock.set("2024-01-15T20:00:00.000Z");
  key = await t.newOrg();
  await t.request("PATCH", "/v1/settings", {
    key,
    body: {
      assistant: { provider: "llm", llm: { baseUrl: llm.baseUrl, model: "m", apiKey: "sk-org-0000000" } },
    },
  });
  await t.request("POST", "/v1/profiles", { key, body: { name: "P", initialOutreach: true } });
});
afterAll(async () => {
  await t.close();
  await llm.close();
});

describe("an org's own model server", () => {
  it("is never reached on a private address; the rules brain writes instead and says why", async () => {
    llm.enqueue({ kind: "json", content: { text: "from the model", subject: null } });
    const res = await t.request("POST", "/v1/leads/create", {
      key,
      body: { firstName: "Ana", lastName: "B", phone: "+12025550177", customerProfile: "P" },
    });
    const leadId = (res.body as { id: string }).id;
    expect(await t.app.assistant.runDue()).toBe(1);
    expect(llm.requests).toHaveLength(0);
    const timeline = await t.request(
      "GET",
      `/v1/leads/${leadId}/events?since=2024-01-01T00:00:00Z&types=TOOL_CALL`,
      {
        key,
      },
    );
    const [entry] = (timeline.body as { events: { data: { brain: string; reason: string } }[] }).events;
    expect(entry?.data.brain).toBe("rules");
    expect(entry?.data.reason).toMatch(/not a public address/);
  });
});
