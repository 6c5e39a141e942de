import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeOpenAi, type FakeOpenAiRequest, startFakeOpenAi } from "../../../test/fakeOpenAi.js";
import {
  type AssistantProfile,
  BrainError,
  type CommandRequest,
  type DraftRequest,
  type ReadRequest,
} from "../../domain/assistant/assistant.js";
import { createLlmAssistant, type LlmAssistantOptions, retryAfterMs } from "./llmAssistant.js";

const API_KEY = "sk-test-5f1c9e2b7d4a";

const profile: AssistantProfile = {
  name: "Downtown lofts",
  description: "We rent furnished lofts downtown.",
  instructions: "Friendly, short. Ask about their move-in date.",
  bookingUrl: "https://book.example.com/tour",
  extract: ["budget", "moveInDate"],
  assistantName: "Sam",
  discloseAi: true,
};

const lead = {
  firstName: "Ana",
  lastName: "Diaz",
  timeZone: "America/Chicago",
  additionalInfo: { source: "zillow" },
  summary: null,
};

const conversation: DraftRequest["conversation"] = [
  {
    direction: "outbound",
    channel: "sms",
    text: "Hi Ana, this is Sam from Downtown lofts.",
    subject: null,
    at: "2025-03-10T15:00:00Z",
  },
  {
    direction: "inbound",
    channel: "sms",
    text: "Hi! Is the 2-bed still free?",
    subject: null,
    at: "2025-03-10T15:05:00Z",
  },
  {
    direction: "outbound",
    channel: "sms",
    text: "It is! When would you move in?",
    subject: null,
    at: "2025-03-10T15:06:00Z",
  },
  {
    direction: "inbound",
    channel: "sms",
    text: "April 1st, budget around $2000",
    subject: null,
    at: "2025-03-10T15:09:00Z",
  },
];

const draftRequest: DraftRequest = {
  purpose: "reply",
  channel: "sms",
  step: null,
  profile,
  lead,
  conversation,
  intent: "interested",
  maxSmsLength: 320,
  problem: null,
};

const readRequest: ReadRequest = {
  message: { channel: "sms", text: "April 1st, budget around $2000", subject: null },
  conversation,
  profile,
  lead,
  tags: [{ id: "tag_hot", name: "isHot", condition: "The lead wants to move within 30 days." }],
  notifications: [{ id: "ntf_budget", name: "Budget mentioned", condition: "The lead states a budget." }],
};

const commandRequest: CommandRequest = {
  command: "follow up on Friday at 10am",
  now: new Date("2025-03-10T15:00:00Z"),
  timeZone: "America/Chicago",
};

const draftAnswer = {
  text: "Great, April 1st works! Book a tour: https://book.example.com/tour",
  subject: null,
};

let fake: FakeOpenAi;

beforeEach(async () => {
  fake = await startFakeOpenAi();
});

afterEach(async () => {
  await fake.close();
});

function assistant(overrides: Partial<LlmAssistantOptions> = {}) {
  return createLlmAssistant({
    baseUrl: fake.baseUrl,
    model: "gpt-test",
    apiKey: API_KEY,
    timeoutMs: 5_000,
    ...overrides,
  });
}

function only(requests: FakeOpenAiRequest[]): FakeOpenAiRequest {
  expect(requests).toHaveLength(1);
  const [request] = requests;
  if (request === undefined) throw new Error("no request");
  return request;
}

async function brainError(promise: Promise<unknown>): Promise<BrainError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof BrainError)) throw new Error(`expected a BrainError, got ${String(error)}`);
  return error;
}

describe("llm assistant: write", () => {
  it("sends the conversation with roles, a JSON schema and the key only in the Authorization header", async () => {
    fake.enqueue({ kind: "json", content: draftAnswer });

    const answer = await assistant().write(draftRequest);

    expect(answer).toEqual({ value: draftAnswer, brain: "llm" });
    const request = only(fake.requests);
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.rawBody).not.toContain(API_KEY);
    const body = request.body;
    expect(body?.model).toBe("gpt-test");
    expect(body?.response_format?.type).toBe("json_schema");
    expect(body?.response_format?.json_schema?.name).toBe("draft");
    expect(body?.response_format?.json_schema?.strict).toBe(true);
    expect(body?.response_format?.json_schema?.schema).toMatchObject({
      type: "object",
      required: ["text", "subject"],
      additionalProperties: false,
    });

    const messages = body?.messages.map((m) => ({ role: m.role, content: m.content })) ?? [];
    expect(messages[0]?.role).toBe("system");
    expect(messages.slice(1, 5)).toEqual(
      conversation.map((turn) => ({
        role: turn.direction === "inbound" ? "user" : "assistant",
        content: turn.text,
      })),
    );
    expect(messages).toHaveLength(6);
    expect(messages[5]?.role).toBe("user");
    expect(messages[5]?.content).toMatch(/^\[From Leadwire, not from the lead\] Write a reply/);

    const system = String(messages[0]?.content);
    expect(system).toContain("You are Sam");
    expect(system).toContain("We rent furnished lofts downtown.");
    expect(system).toContain("Ask about their move-in date.");
    expect(system).toContain("never claim to be a human");
    expect(system).toContain("at most 320 characters");
    expect(system).toContain("The only link you may include is https://book.example.com/tour");
    expect(system).toContain("Ana Diaz");
    expect(system).toContain('"source":"zillow"');
  });

  it("writes an initial email with a subject and passes on why a rewrite is needed", async () => {
    fake.enqueue({ kind: "json", content: { text: "Hi Ana, ...", subject: "Your loft search" } });

    const answer = await assistant().write({
      ...draftRequest,
      purpose: "initial",
      channel: "email",
      conversation: [],
      intent: null,
      problem: "it contained a link to https://evil.example",
    });

    expect(answer.value).toEqual({ text: "Hi Ana, ...", subject: "Your loft search" });
    const messages = only(fake.requests).body?.messages ?? [];
    expect(messages.map((m) => m.role)).toEqual(["system", "user"]);
    const system = String(messages[0]?.content);
    expect(system).toContain("initial outreach");
    expect(system).toContain("it needs a short subject line");
    expect(system).toContain("Your previous draft was refused: it contained a link to https://evil.example");
  });

  it("sends no Authorization header without a key", async () => {
    fake.enqueue({ kind: "json", content: draftAnswer });

    await assistant({ apiKey: null }).write(draftRequest);

    expect(only(fake.requests).headers.authorization).toBeUndefined();
  });
});

describe("llm assistant: read", () => {
  it("reads a reply, keeping only the tags, rules and keys it was offered", async () => {
    fake.enqueue({
      kind: "json",
      content: {
        intent: "interested",
        reason: "Gives a move-in date and budget.",
        tags: ["tag_hot", "tag_invented", "tag_hot"],
        notifications: [
          { id: "ntf_budget", message: "Ana says her budget is about $2000." },
          { id: "ntf_other", message: "Made up." },
        ],
        summary: "Ana wants the 2-bed from April 1st, budget about $2000.",
        extracted: [
          { key: "budget", value: "$2000" },
          { key: "moveInDate", value: "2025-04-01" },
          { key: "pets", value: "a dog" },
        ],
        reply: { text: "Perfect! Want to tour it this week?", subject: "ignored on SMS" },
      },
    });

    const answer = await assistant().read(readRequest);

    expect(answer).toEqual({
      brain: "llm",
      value: {
        intent: "interested",
        reason: "Gives a move-in date and budget.",
        tags: ["tag_hot"],
        notifications: [{ id: "ntf_budget", message: "Ana says her budget is about $2000." }],
        summary: "Ana wants the 2-bed from April 1st, budget about $2000.",
        extracted: { budget: "$2000", moveInDate: "2025-04-01" },
        reply: { text: "Perfect! Want to tour it this week?", subject: null },
      },
    });
    const body = only(fake.requests).body;
    expect(body?.response_format?.json_schema?.name).toBe("reading");
    const messages = body?.messages ?? [];
    // The message being read is the conversation's last turn: it is not sent twice.
    expect(messages.map((m) => m.role)).toEqual(["system", "assistant", "user", "assistant", "user"]);
    expect(messages.at(-1)?.content).toBe("April 1st, budget around $2000");
    const system = String(messages[0]?.content);
    expect(system).toContain("tags: the ids of these tags whose condition is now true");
    expect(system).toContain('id "tag_hot" (isHot): The lead wants to move within 30 days.');
    expect(system).toContain('id "ntf_budget" (Budget mentioned): The lead states a budget.');
    expect(system).toContain('"budget", "moveInDate"');
    expect(system).toContain(
      "when unsure between do_not_contact or opt_out_channel and anything else, choose the stop",
    );
  });

  it("drops a proposed reply on a stop", async () => {
    fake.enqueue({
      kind: "json",
      content: {
        intent: "do_not_contact",
        reason: "Asks never to be contacted.",
        tags: [],
        notifications: [],
        summary: "Ana asked us to stop.",
        extracted: [],
        reply: { text: "Sorry to see you go!", subject: null },
      },
    });

    const answer = await assistant().read({
      ...readRequest,
      message: { channel: "sms", text: "lose my number", subject: null },
    });

    expect(answer.value.intent).toBe("do_not_contact");
    expect(answer.value.reply).toBeNull();
    // Not the conversation's last turn, so it is appended as the lead's message.
    expect(only(fake.requests).body?.messages.at(-1)).toMatchObject({
      role: "user",
      content: "lose my number",
    });
  });
});

describe("llm assistant: command", () => {
  it("turns a follow-up instruction into a time, with now and the zone in the prompt", async () => {
    fake.enqueue({
      kind: "json",
      content: { kind: "follow_up_at", text: null, at: "2025-03-14T10:00:00-05:00", reason: null },
    });

    const answer = await assistant().command(commandRequest);

    expect(answer).toEqual({
      value: { kind: "follow_up_at", at: new Date("2025-03-14T15:00:00Z") },
      brain: "llm",
    });
    const body = only(fake.requests).body;
    expect(body?.response_format?.json_schema?.name).toBe("command");
    const messages = body?.messages ?? [];
    expect(messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(messages[1]?.content).toBe("follow up on Friday at 10am");
    expect(String(messages[0]?.content)).toContain(
      "Now is Monday 2025-03-10T10:00:00-05:00 in time zone America/Chicago.",
    );
  });

  it("sends text, and turns an unreadable time into not_understood", async () => {
    fake.enqueue(
      {
        kind: "json",
        content: { kind: "send", text: "We have a viewing slot Friday.", at: null, reason: null },
      },
      { kind: "json", content: { kind: "follow_up_at", text: null, at: "next friday-ish", reason: null } },
      {
        kind: "json",
        content: { kind: "not_understood", text: null, at: null, reason: "Cannot order pizza." },
      },
    );
    const llm = assistant();

    expect(
      (await llm.command({ ...commandRequest, command: "send: We have a viewing slot Friday." })).value,
    ).toEqual({
      kind: "send",
      text: "We have a viewing slot Friday.",
    });
    expect((await llm.command(commandRequest)).value).toMatchObject({ kind: "not_understood" });
    expect((await llm.command({ ...commandRequest, command: "order a pizza" })).value).toEqual({
      kind: "not_understood",
      reason: "Cannot order pizza.",
    });
  });
});

describe("llm assistant: failures", () => {
  it("gives up with a BrainError when the server does not answer in time", async () => {
    fake.enqueue({ kind: "hang" });
    const started = Date.now();

    const error = await brainError(assistant({ timeoutMs: 200 }).write(draftRequest));

    expect(error.message).toBe("timed out after 200 ms");
    expect(error.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(fake.requests).toHaveLength(1);
  });

  it("waits out a short Retry-After and retries once", async () => {
    fake.enqueue(
      { kind: "status", status: 429, headers: { "retry-after": "1" } },
      { kind: "json", content: draftAnswer },
    );
    const started = Date.now();

    const answer = await assistant().write(draftRequest);

    expect(answer.value).toEqual(draftAnswer);
    expect(fake.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("does not wait on a 429 without Retry-After, or with a long one", async () => {
    fake.enqueue({ kind: "status", status: 429 });
    const bare = await brainError(assistant().write(draftRequest));
    expect(bare.message).toBe("is rate limited (HTTP 429, no Retry-After)");
    expect(bare.retryable).toBe(true);

    fake.enqueue({ kind: "status", status: 429, headers: { "retry-after": "30" } });
    const long = await brainError(assistant().write(draftRequest));
    expect(long.message).toBe("is rate limited (HTTP 429, Retry-After 30 s)");
    expect(fake.requests).toHaveLength(2);
  });

  it("retries a 429 only once", async () => {
    fake.enqueue(
      { kind: "status", status: 429, headers: { "retry-after": "0" } },
      { kind: "status", status: 429, headers: { "retry-after": "0" } },
      { kind: "json", content: draftAnswer },
    );

    const error = await brainError(assistant().write(draftRequest));

    expect(error.message).toMatch(/still rate limited/);
    expect(fake.requests).toHaveLength(2);
  });

  it("gives up on a 5xx without retrying", async () => {
    fake.enqueue({ kind: "status", status: 500 }, { kind: "json", content: draftAnswer });

    const error = await brainError(assistant().write(draftRequest));

    expect(error.message).toBe("answered HTTP 500");
    expect(error.retryable).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it("reports a refused request as final, without the key", async () => {
    fake.enqueue({
      kind: "status",
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${API_KEY}`, type: "invalid_request_error" } },
    });

    const error = await brainError(assistant().write(draftRequest));

    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^refused the request \(HTTP 401/);
    expect(error.message).not.toContain(API_KEY);
  });

  it("gives up when the server cannot be reached", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const address = closed.address();
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    if (address === null || typeof address === "string") throw new Error("no port");

    const error = await brainError(
      assistant({ baseUrl: `http://127.0.0.1:${address.port}/v1` }).write(draftRequest),
    );

    expect(error.message).toMatch(/^could not be reached/);
    expect(error.retryable).toBe(true);
  });

  it("retries a malformed answer once and takes the second", async () => {
    fake.enqueue({ kind: "raw", content: '{"text": "Hi Ana' }, { kind: "json", content: draftAnswer });

    const answer = await assistant().write(draftRequest);

    expect(answer.value).toEqual(draftAnswer);
    expect(fake.requests).toHaveLength(2);
  });

  it("gives up after two answers that do not fit the schema", async () => {
    fake.enqueue(
      { kind: "json", content: { message: "Hi Ana" } },
      { kind: "json", content: { text: "   ", subject: null } },
      { kind: "json", content: draftAnswer },
    );

    const error = await brainError(assistant().write(draftRequest));

    expect(error.message).toMatch(/^gave no valid answer in 2 tries/);
    expect(error.retryable).toBe(false);
    expect(fake.requests).toHaveLength(2);
  });

  it("retries a reading with an unknown intent", async () => {
    const reading = {
      intent: "maybe",
      reason: "",
      tags: [],
      notifications: [],
      summary: "",
      extracted: [],
      reply: null,
    };
    fake.enqueue(
      { kind: "json", content: reading },
      { kind: "json", content: { ...reading, intent: "other" } },
    );

    const answer = await assistant().read(readRequest);

    expect(answer.value.intent).toBe("other");
    expect(fake.requests).toHaveLength(2);
  });
});

describe("retryAfterMs", () => {
  it("reads seconds, milliseconds and HTTP dates", () => {
    const now = Date.parse("2025-03-10T15:00:00Z");
    expect(retryAfterMs({ "retry-after": "2" }, now)).toBe(2_000);
    expect(retryAfterMs({ "retry-after-ms": "150", "retry-after": "2" }, now)).toBe(150);
    expect(retryAfterMs({ "retry-after": "Mon, 10 Mar 2025 15:00:03 GMT" }, now)).toBe(3_000);
    expect(retryAfterMs({ "retry-after": "soon" }, now)).toBeNull();
    expect(retryAfterMs({}, now)).toBeNull();
    expect(retryAfterMs(undefined, now)).toBeNull();
  });
});
