import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAi, startFakeOpenAi } from "../fakeOpenAi.js";
import { startTestApp, type TestApp } from "../harness.js";

// The same loop against an OpenAI-compatible server (the fake speaks the real protocol), set by
// three variables; and its failures: each falls back to the rules brain, says so on the
// timeline, and nothing is sent twice.

const SERVER_KEY = "sk-server-key-never-used-here-1111";
const API_KEY = "sk-org-key-never-in-a-prompt-4242";
let t: TestApp;
let llm: FakeOpenAi;
let key: string;

beforeAll(async () => {
  llm = await startFakeOpenAi();
  t = await startTestApp({
    env: {
      ASSISTANT_PROVIDER: "llm",
      LLM_BASE_URL: llm.baseUrl,
      LLM_MODEL: "server-model",
      LLM_API_KEY: SERVER_KEY,
      LLM_TIMEOUT_MS: "400",
      SECRETS_KEY: Buffer.alloc(32, 7).toString("base64"),
      // The org's model server is on loopback here; see orgModelAddress.int.test.ts for the refusal.
      WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
    },
  });
  // Monday 15:00 in New York: inside the quiet hours in every US zone (the lead has no zone).
  t.clock.set("2024-01-15T20:00:00.000Z");
  key = await t.newOrg();
  // The org brings its own model (same server here): its key is sealed and never shown again.
  const patched = await t.request("PATCH", "/v1/settings", {
    key,
    body: {
      assistant: { provider: "llm", llm: { baseUrl: llm.baseUrl, model: "acme-chat-1", apiKey: API_KEY } },
    },
  });
  expect(patched.status).toBe(200);
  expect((patched.body as { assistant: { llm: unknown } }).assistant.llm).toEqual({
    baseUrl: llm.baseUrl,
    model: "acme-chat-1",
    apiKey: "[redacted]",
  });
  const stored = await t.app.database.db.selectFrom("settings").select("data").executeTakeFirstOrThrow();
  expect(stored.data).not.toContain(API_KEY);
  await t.request("POST", "/v1/profiles", {
    key,
    body: {
      name: "Roofing",
      description: "Bright Roofing repairs and replaces roofs in Denver.",
      instructions: "Ask about the age of the roof.",
      initialOutreach: true,
    },
  });
});
afterAll(async () => {
  await t.close();
  await llm.close();
});

async function settle(): Promise<void> {
  for (;;) {
    const n = (await t.app.assistant.runDue()) + (await t.app.messages.runDue());
    if (n === 0) return;
  }
}

/** Inbound email needs no provider credentials: the org's inbound address token. */
async function inboundEmail(from: string, text: string): Promise<void> {
  const addresses = await t.request("GET", "/v1/inbound-addresses", { key });
  const url = new URL((addresses.body as { email: string }).email);
  const res = await t.app.http.inject({
    method: "POST",
    url: url.pathname,
    headers: { "content-type": "application/json" },
    payload: { from, to: "in@leadwire.test", subject: "Re: your roof", text },
  });
  expect(res.statusCode).toBeLessThan(300);
}

const outbox = async () =>
  (
    (await t.request("GET", "/v1/dev/outbox?limit=100", { key })).body as {
      messages: { to: string; body: string }[];
    }
  ).messages;

async function toolCalls(leadId: string) {
  const res = await t.request(
    "GET",
    `/v1/leads/${leadId}/events?since=2024-01-01T00:00:00Z&types=TOOL_CALL&limit=100`,
    {
      key,
    },
  );
  return (res.body as { events: { data: Record<string, unknown> }[] }).events.map((e) => e.data);
}

const reading = (intent: string, reply: string | null) => ({
  kind: "json" as const,
  content: {
    intent,
    reason: `the lead wrote something that reads as ${intent}`,
    tags: [],
    notifications: [],
    summary: `Pat is talking about the roof (${intent}).`,
    extracted: [],
    reply: reply === null ? null : { text: reply, subject: "Re: your roof" },
  },
});

describe("the assistant with an OpenAI-compatible model", () => {
  let leadId = "";
  const email = "pat@example.com";

  it("writes the initial message with the model: the real protocol, the conversation, a JSON schema, no secret", async () => {
    llm.enqueue({
      kind: "json",
      content: { text: "Hi Pat, Bright Roofing here. How old is your roof?", subject: null },
    });
    const res = await t.request("POST", "/v1/leads/create", {
      key,
      body: { firstName: "Pat", lastName: "Q", phone: "+13035550150", email, customerProfile: "Roofing" },
    });
    leadId = (res.body as { id: string }).id;
    await settle();
    const sms = (await outbox()).filter((m) => m.to === "+13035550150");
    expect(sms.map((m) => m.body)).toEqual([
      "Hi Pat, Bright Roofing here. How old is your roof? Reply STOP to opt out.",
    ]);
    expect(llm.requests).toHaveLength(1);
    const request = llm.requests[0];
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.body?.model).toBe("acme-chat-1");
    expect(request?.body?.response_format).toMatchObject({ type: "json_schema" });
    const raw = request?.rawBody ?? "";
    expect(raw).toContain("Bright Roofing repairs and replaces roofs in Denver.");
    expect(raw).toContain("Ask about the age of the roof.");
    for (const secret of [API_KEY, SERVER_KEY]) expect(raw).not.toContain(secret);
    expect(await toolCalls(leadId)).toEqual([
      expect.objectContaining({ tool: "write_message", brain: "llm", result: "drafted" }),
    ]);
  });

  it("reads a reply with the model and sends the model's answer, once", async () => {
    llm.enqueue(reading("question", "Thanks Pat! A new roof in Denver usually runs $9k to $15k."));
    await inboundEmail(email, "roughly what does a new roof cost?");
    await settle();
    const emails = (await outbox()).filter((m) => m.to === email);
    expect(emails).toHaveLength(1);
    expect(emails[0]?.body).toContain("A new roof in Denver usually runs $9k to $15k.");
    const body = llm.requests.at(-1)?.body;
    const contents = (body?.messages ?? []).map((m) => JSON.stringify(m.content));
    expect(contents.some((c) => c.includes("roughly what does a new roof cost?"))).toBe(true);
    expect(contents.some((c) => c.includes("How old is your roof?"))).toBe(true);
    expect((await toolCalls(leadId)).slice(-3)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tool: "read_reply", brain: "llm", intent: "question" }),
        expect.objectContaining({ tool: "reply", brain: "llm", result: "queued" }),
      ]),
    );
    const lead = (await t.request("GET", `/v1/leads/${leadId}`, { key })).body as { summary: string };
    expect(lead.summary).toBe("Pat is talking about the roof (question).");
  });

  it.each([
    ["a 500", [{ kind: "status" as const, status: 500 }], /HTTP 500/],
    ["a timeout", [{ kind: "hang" as const }], /timed out/],
    [
      "a 429 with a long Retry-After",
      [{ kind: "status" as const, status: 429, headers: { "retry-after": "120" } }],
      /429|rate/i,
    ],
    [
      "malformed JSON twice",
      [
        { kind: "raw" as const, content: "{not json" },
        { kind: "raw" as const, content: "nope" },
      ],
      /valid answer/,
    ],
    [
      "schema-invalid JSON twice",
      [
        { kind: "json" as const, content: { intent: "maybe", reason: 1 } },
        { kind: "json" as const, content: { intent: "question" } },
      ],
      /valid answer/,
    ],
  ])("falls back to the rules brain after %s, says so, and replies once", async (_what, script, why) => {
    const before = (await outbox()).filter((m) => m.to === email).length;
    const requestsBefore = llm.requests.length;
    llm.enqueue(...script);
    // The rules brain writes the reply itself; the model is not asked again for it.
    llm.respondWith(() => ({ kind: "status", status: 503 }));
    await inboundEmail(email, `Is Thursday morning possible for an estimate? (${_what})`);
    await settle();
    expect(llm.requests.length).toBeGreaterThan(requestsBefore);
    const emails = (await outbox()).filter((m) => m.to === email);
    expect(emails).toHaveLength(before + 1);
    const read = (await toolCalls(leadId)).filter((c) => c.tool === "read_reply").at(-1);
    expect(read).toMatchObject({ brain: "rules" });
    expect(String(read?.reason)).toMatch(/used rules/);
    expect(String(read?.reason)).toMatch(why);
  });

  it("never put a secret in any request", () => {
    for (const request of llm.requests) {
      expect(request.rawBody).not.toContain(API_KEY);
      expect(request.rawBody).not.toContain(SERVER_KEY);
      expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    }
    const replies = llm.requests.length;
    expect(replies).toBeGreaterThan(5);
  });
});
