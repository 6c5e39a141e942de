import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeTwilio, startFakeTwilio, twilioError } from "../../../test/fakeTwilio.js";
import type { SendOutcome, SmsMessage } from "../../domain/messages/providers.js";
import { createTwilioSmsProvider, type TwilioSmsOptions, type TwilioSmsProvider } from "./twilioSms.js";

const ACCOUNT_SID = `AC${"1".repeat(32)}`;
const AUTH_TOKEN = "auth-token-0123456789abcdef";
const API_KEY = { sid: `SK${"2".repeat(32)}`, secret: "api-key-secret-0123456789" };
const SERVICE_SID = `MG${"3".repeat(32)}`;

const message: SmsMessage = {
  reference: { orgId: "org_1", messageId: "msg_1" },
  to: "+12025550100",
  body: "Hi Ana, still looking for a place downtown?",
  statusCallbackUrl: "https://leadwire.example.com/inbound/twilio/status/msg_1",
};

let fake: FakeTwilio;
const providers: TwilioSmsProvider[] = [];

function provider(overrides: Partial<TwilioSmsOptions> = {}): TwilioSmsProvider {
  const created = createTwilioSmsProvider({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from: "+12025550199",
    baseUrl: fake.baseUrl,
    timeoutMs: 2_000,
    ...overrides,
  });
  providers.push(created);
  return created;
}

/** No outcome, whatever its kind, may carry a credential. */
function expectNoSecrets(outcome: SendOutcome): void {
  const text = JSON.stringify(outcome);
  for (const secret of [AUTH_TOKEN, API_KEY.secret]) expect(text).not.toContain(secret);
}

beforeEach(async () => {
  fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiKeys: [API_KEY] });
});

afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
  await fake.close();
});

describe("Twilio SMS provider: accepted", () => {
  it("posts the form Twilio expects, with basic auth, and returns the sid", async () => {
    const outcome = await provider().send(message);

    expect(outcome).toEqual({
      kind: "accepted",
      providerMessageId: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      status: "queued",
    });
    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req?.method).toBe("POST");
    expect(req?.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(req?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(req?.auth).toEqual({ username: ACCOUNT_SID, password: AUTH_TOKEN });
    expect(req?.params).toEqual({
      To: message.to,
      Body: message.body,
      From: "+12025550199",
      StatusCallback: message.statusCallbackUrl,
    });
  });

  it("encodes bodies with spaces, symbols and non-GSM characters intact", async () => {
    const body = "Tour at 5 & 6? 50% off 🏠 — ça va";
    await provider().send({ ...message, body });
    expect(fake.requests[0]?.params.Body).toBe(body);
  });

  it("prefers a Messaging Service over From at the same level", async () => {
    const outcome = await provider({ messagingServiceSid: SERVICE_SID }).send(message);

    expect(outcome).toMatchObject({ kind: "accepted", status: "accepted" });
    expect(fake.requests[0]?.params).toEqual({
      To: message.to,
      Body: message.body,
      MessagingServiceSid: SERVICE_SID,
      StatusCallback: message.statusCallbackUrl,
    });
  });

  it("lets a message's own sender override the configured one", async () => {
    const twilio = provider({ messagingServiceSid: SERVICE_SID });

    await twilio.send({ ...message, from: "+12025550111" });
    await twilio.send({ ...message, from: "+12025550111", messagingServiceSid: `MG${"4".repeat(32)}` });

    expect(fake.requests[0]?.params.From).toBe("+12025550111");
    expect(fake.requests[0]?.params.MessagingServiceSid).toBeUndefined();
    expect(fake.requests[1]?.params.MessagingServiceSid).toBe(`MG${"4".repeat(32)}`);
    expect(fake.requests[1]?.params.From).toBeUndefined();
  });

  it("authenticates with an API key pair instead of the auth token when given", async () => {
    const outcome = await provider({
      authToken: undefined,
      apiKeySid: API_KEY.sid,
      apiKeySecret: API_KEY.secret,
    }).send(message);

    expect(outcome.kind).toBe("accepted");
    expect(fake.requests[0]?.auth).toEqual({ username: API_KEY.sid, password: API_KEY.secret });
    expect(fake.requests[0]?.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
  });

  it("refuses to be built without credentials, naming no secret", () => {
    expect(() => provider({ authToken: undefined })).toThrow(/authToken/);
    expect(() => provider({ apiKeySid: API_KEY.sid, apiKeySecret: undefined })).toThrow(/go together/);
  });

  it("rejects locally, without calling Twilio, when no sender is configured", async () => {
    const outcome = await provider({ from: undefined }).send(message);
    expect(outcome).toMatchObject({ kind: "rejected", code: "missing_sender", optedOut: false });
    expect(fake.requests).toHaveLength(0);
  });
});

describe("Twilio SMS provider: refusals and throttling", () => {
  it("21610 (recipient unsubscribed) is a final rejection that opts the lead out", async () => {
    fake.respondWith(() => twilioError(400, 21610, "Attempt to send to unsubscribed recipient"));
    const outcome = await provider().send(message);
    expect(outcome).toEqual({
      kind: "rejected",
      code: "21610",
      message: "Twilio 400: Attempt to send to unsubscribed recipient",
      optedOut: true,
    });
  });

  it("21211 (invalid To) is a final rejection, not an opt-out", async () => {
    fake.respondWith(() => twilioError(400, 21211, "The 'To' number +1202555 is not a valid phone number."));
    const outcome = await provider().send(message);
    expect(outcome).toMatchObject({ kind: "rejected", code: "21211", optedOut: false });
  });

  it("wrong credentials are rejected with Twilio's 20003, and the token is not repeated", async () => {
    const outcome = await provider({ authToken: "not-the-token" }).send(message);
    expect(outcome).toMatchObject({ kind: "rejected", code: "20003", optedOut: false });
    expect(JSON.stringify(outcome)).not.toContain("not-the-token");
  });

  it("a 4xx without Twilio's JSON uses the status as its code", async () => {
    fake.respondWith(() => ({ status: 403, body: "<html>forbidden</html>" }));
    expect(await provider().send(message)).toMatchObject({ kind: "rejected", code: "403", optedOut: false });
  });

  it("429 is retryable, waiting as long as Retry-After says", async () => {
    fake.respondWith(() => ({
      ...twilioError(429, 20429, "Too Many Requests"),
      headers: { "retry-after": "7" },
    }));
    const outcome = await provider().send(message);
    expect(outcome).toEqual({
      kind: "retryable",
      code: "20429",
      message: "Twilio 429: Too Many Requests",
      retryAfterMs: 7_000,
    });
  });

  it("429 without Retry-After is retryable with no wait of its own", async () => {
    fake.respondWith(() => twilioError(429, 20429, "Too Many Requests"));
    const outcome = await provider().send(message);
    expect(outcome).toMatchObject({ kind: "retryable", code: "20429" });
    expect(outcome).not.toHaveProperty("retryAfterMs");
  });
});

describe("Twilio SMS provider: server errors", () => {
  it("500 is retryable: Twilio created nothing", async () => {
    fake.respondWith(() => twilioError(500, 20500, "Internal Server Error"));
    expect(await provider().send(message)).toMatchObject({ kind: "retryable", code: "20500" });
  });

  it("503 is retryable and honours Retry-After", async () => {
    fake.respondWith(() => ({ status: 503, headers: { "retry-after": "2" } }));
    expect(await provider().send(message)).toMatchObject({
      kind: "retryable",
      code: "503",
      retryAfterMs: 2_000,
    });
  });

  it.each([502, 504])("%i is unknown: a gateway may have given up on an accepted message", async (status) => {
    fake.respondWith(() => ({ status, body: "<html>Bad Gateway</html>" }));
    const outcome = await provider().send(message);
    expect(outcome.kind).toBe("unknown");
    expectNoSecrets(outcome);
  });

  it("a 2xx without a sid is unknown: something was likely created", async () => {
    fake.respondWith(() => ({ status: 201, body: "not json" }));
    expect(await provider().send(message)).toMatchObject({ kind: "unknown" });
  });
});

describe("Twilio SMS provider: transport failures", () => {
  it("connection refused is retryable: nothing reached Twilio", async () => {
    const twilio = provider();
    await fake.close();

    const outcome = await twilio.send(message);

    expect(outcome).toMatchObject({ kind: "retryable", code: "ECONNREFUSED" });
    expectNoSecrets(outcome);
  });

  it("a failed DNS lookup is retryable", async () => {
    const outcome = await provider({ baseUrl: "http://api.twilio.invalid" }).send(message);
    expect(outcome.kind).toBe("retryable");
  });

  it("a failed TLS handshake is retryable: the request is written only after it", async () => {
    const outcome = await provider({ baseUrl: fake.baseUrl.replace("http:", "https:") }).send(message);
    expect(outcome.kind).toBe("retryable");
    expect(fake.requests).toHaveLength(0);
  });

  it("no answer after the body was sent is unknown, within the timeout", async () => {
    fake.respondWith(() => ({ hang: true }));
    const started = Date.now();

    const outcome = await provider({ timeoutMs: 300 }).send(message);

    expect(outcome).toMatchObject({
      kind: "unknown",
      message: expect.stringContaining("UND_ERR_HEADERS_TIMEOUT"),
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(fake.requests).toHaveLength(1);
  });

  it("an answer slower than the timeout is unknown even though Twilio did create the message", async () => {
    fake.respondWith(() => ({
      status: 201,
      body: { sid: `SM${"5".repeat(32)}`, status: "queued" },
      delayMs: 3_000,
    }));
    expect(await provider({ timeoutMs: 300 }).send(message)).toMatchObject({ kind: "unknown" });
  });

  it("a connection dropped after the body was read is unknown", async () => {
    fake.respondWith(() => ({ destroySocket: true }));
    const outcome = await provider().send(message);
    expect(outcome).toMatchObject({ kind: "unknown" });
    expect(fake.requests).toHaveLength(1);
  });
});
