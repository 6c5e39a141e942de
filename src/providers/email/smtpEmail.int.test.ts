import { createServer } from "node:net";
import { simpleParser } from "mailparser";
import { afterEach, describe, expect, it } from "vitest";
import { type SmtpServerOptions, startSmtpServer, type TestSmtpServer } from "../../../test/smtpServer.js";
import type { EmailMessage } from "../../domain/messages/providers.js";
import {
  classifySmtpError,
  createSmtpEmailProvider,
  parseSmtpUrl,
  type SmtpEmailProvider,
} from "./smtpEmail.js";

const SUBJECT = "Suivi: votre intérêt 🚀 — 東京";
const UNSUBSCRIBE_URL = "https://leads.example.com/u/tok_01JZ8Q4M3V7K2N9XW5T6R8Y0B1C3D5E7G9H1J3K5M7N9P1Q3";

const message: EmailMessage = {
  to: "lead@example.net",
  subject: SUBJECT,
  text: "Bonjour Zoë, merci pour votre intérêt ! 🎉 Café à 14h ?",
  replyTo: "reply+msg_01JZ8Q@inbound.leads.example.com",
  unsubscribeUrl: UNSUBSCRIBE_URL,
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  serverOptions: SmtpServerOptions = {},
  timeoutMs = 5_000,
): Promise<{ server: TestSmtpServer; provider: SmtpEmailProvider }> {
  const server = await startSmtpServer(serverOptions);
  cleanups.push(() => server.close());
  const provider = createSmtpEmailProvider({
    smtpUrl: server.url,
    from: "Leadwire Sales <sales@leads.example.com>",
    timeoutMs,
  });
  cleanups.push(() => provider.close());
  return { server, provider };
}

/** A port nothing listens on: bind one, then free it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

function headerLine(raw: Buffer, name: string): string | undefined {
  const head = raw.toString("latin1").split("\r\n\r\n")[0] ?? "";
  const unfolded = head.replace(/\r\n[ \t]+/g, " ");
  const prefix = `${name.toLowerCase()}:`;
  const line = unfolded.split("\r\n").find((l) => l.toLowerCase().startsWith(prefix));
  return line?.slice(prefix.length).trim();
}

describe("SMTP email provider", () => {
  it("delivers From, To, Reply-To, unicode subject and body, and the RFC 8058 headers", async () => {
    const { server, provider } = await setup();

    const outcome = await provider.send(message);

    expect(outcome.kind).toBe("accepted");
    expect(server.messages).toHaveLength(1);
    const received = server.messages[0];
    if (received === undefined || outcome.kind !== "accepted") throw new Error("unreachable");
    expect(received.envelope).toEqual({ mailFrom: "sales@leads.example.com", rcptTo: ["lead@example.net"] });

    const parsed = await simpleParser(received.raw);
    expect(parsed.from?.value).toEqual([{ name: "Leadwire Sales", address: "sales@leads.example.com" }]);
    expect(parsed.to).toMatchObject({ value: [{ address: "lead@example.net" }] });
    expect(parsed.replyTo?.value).toEqual([
      { name: "", address: "reply+msg_01JZ8Q@inbound.leads.example.com" },
    ]);
    expect(parsed.subject).toBe(SUBJECT);
    expect(Buffer.from(parsed.subject ?? "", "utf8").equals(Buffer.from(SUBJECT, "utf8"))).toBe(true);
    expect(parsed.text).toBe(`${message.text}\n\n--\nUnsubscribe: ${UNSUBSCRIBE_URL}\n`);
    expect(parsed.messageId).toBe(outcome.providerMessageId);
    expect(outcome.providerMessageId).toMatch(/^<[0-9a-f-]{36}@leads\.example\.com>$/);

    expect(headerLine(received.raw, "List-Unsubscribe")).toBe(`<${UNSUBSCRIBE_URL}>`);
    expect(headerLine(received.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    // The subject travels as RFC 2047 encoded words, never as raw 8-bit bytes.
    expect(headerLine(received.raw, "Subject")).toMatch(/^=\?UTF-8\?[BQ]\?/i);
  });

  it("uses the per-message From and leaves Reply-To out when there is none", async () => {
    const { server, provider } = await setup();

    const outcome = await provider.send({
      ...message,
      from: "Org Two <hello@org2.example>",
      replyTo: undefined,
    });

    expect(outcome).toMatchObject({
      kind: "accepted",
      providerMessageId: expect.stringMatching(/@org2\.example>$/),
    });
    const raw = server.messages[0]?.raw ?? Buffer.alloc(0);
    const parsed = await simpleParser(raw);
    expect(parsed.from?.value[0]?.address).toBe("hello@org2.example");
    expect(parsed.replyTo).toBeUndefined();
  });

  it("reuses pooled connections for sends in a row", async () => {
    const { server, provider } = await setup();

    const outcomes = await Promise.all([1, 2, 3].map((n) => provider.send({ ...message, subject: `n${n}` })));

    expect(outcomes.map((o) => o.kind)).toEqual(["accepted", "accepted", "accepted"]);
    expect(server.messages).toHaveLength(3);
  });

  it("authenticates with the user and password from the URL", async () => {
    const { server, provider } = await setup({
      auth: { user: "smtp-user@example.com", pass: "p@ss:wörd/1" },
    });

    expect(server.url).toContain("smtp-user%40example.com:p%40ss%3Aw%C3%B6rd%2F1@");
    await expect(provider.send(message)).resolves.toMatchObject({ kind: "accepted" });
    expect(server.messages).toHaveLength(1);
  });

  it("reports bad credentials as retryable without echoing the password", async () => {
    const good = await startSmtpServer({ auth: { user: "u", pass: "right-secret" } });
    cleanups.push(() => good.close());
    const provider = createSmtpEmailProvider({
      smtpUrl: good.url.replace("right-secret", "wrong-secret"),
      from: "sales@leads.example.com",
      timeoutMs: 5_000,
    });
    cleanups.push(() => provider.close());

    const outcome = await provider.send(message);

    expect(outcome).toMatchObject({ kind: "retryable", code: "535" });
    expect(JSON.stringify(outcome)).not.toContain("wrong-secret");
  });

  it("maps a 550 on RCPT TO to rejected with the SMTP code", async () => {
    const { server, provider } = await setup({
      failWith: () => ({ code: 550, message: "5.1.1 Mailbox unavailable" }),
    });

    const outcome = await provider.send(message);

    expect(outcome).toMatchObject({ kind: "rejected", code: "550", optedOut: false });
    expect(server.messages).toHaveLength(0);
  });

  it("maps a 554 to the message body to rejected", async () => {
    const { provider } = await setup({
      failWith: () => ({ code: 554, message: "5.7.1 Message rejected as spam", at: "data" }),
    });

    await expect(provider.send(message)).resolves.toMatchObject({ kind: "rejected", code: "554" });
  });

  it("maps a 451 to retryable", async () => {
    const { provider } = await setup({
      failWith: () => ({ code: 451, message: "4.3.0 Try again later" }),
    });

    await expect(provider.send(message)).resolves.toMatchObject({ kind: "retryable", code: "451" });
  });

  it("maps a 451 to the message body to retryable: the server answered, it did not take it", async () => {
    const { provider } = await setup({
      failWith: () => ({ code: 451, message: "4.3.0 Queue full", at: "data" }),
    });

    await expect(provider.send(message)).resolves.toMatchObject({ kind: "retryable", code: "451" });
  });

  it("keeps sending on the same provider after a rejection", async () => {
    const { server, provider } = await setup({
      failWith: (envelope) =>
        envelope.rcptTo.includes("gone@example.net")
          ? { code: 550, message: "5.1.1 No such user" }
          : undefined,
    });

    await expect(provider.send({ ...message, to: "gone@example.net" })).resolves.toMatchObject({
      kind: "rejected",
    });
    await expect(provider.send(message)).resolves.toMatchObject({ kind: "accepted" });
    expect(server.messages).toHaveLength(1);
  });

  it("maps nothing listening to retryable", async () => {
    const port = await closedPort();
    const provider = createSmtpEmailProvider({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: "sales@leads.example.com",
      timeoutMs: 2_000,
    });
    cleanups.push(() => provider.close());

    await expect(provider.send(message)).resolves.toMatchObject({ kind: "retryable", code: "ECONNREFUSED" });
  });

  it("maps a connection dropped before the body was sent to retryable", async () => {
    const { server, provider } = await setup({ dropAtRcpt: true });

    await expect(provider.send(message)).resolves.toMatchObject({ kind: "retryable", code: "ECONNECTION" });
    expect(server.messages).toHaveLength(0);
  });

  it("maps a connection dropped after the body was sent to unknown", async () => {
    const { server, provider } = await setup({ afterData: "drop" });

    const outcome = await provider.send(message);

    expect(outcome.kind).toBe("unknown");
    expect(server.messages).toHaveLength(1);
  });

  it("maps a timeout waiting for the final reply to unknown", async () => {
    const { server, provider } = await setup({ afterData: "hang" }, 500);

    const outcome = await provider.send(message);

    expect(outcome.kind).toBe("unknown");
    expect(server.messages).toHaveLength(1);
  });

  it("refuses an unsubscribe URL that could break out of its header", async () => {
    const { server, provider } = await setup();

    const outcome = await provider.send({
      ...message,
      unsubscribeUrl: "https://x.example/a>\r\nBcc: evil@x",
    });

    expect(outcome).toMatchObject({ kind: "rejected", code: "INVALID_UNSUBSCRIBE_URL" });
    expect(server.messages).toHaveLength(0);
  });
});

describe("parseSmtpUrl", () => {
  it("reads host, port, TLS mode and percent-decoded credentials", () => {
    expect(parseSmtpUrl("smtps://a%40b.c:s%2Fecret@mail.example.com")).toEqual({
      host: "mail.example.com",
      port: 465,
      secure: true,
      auth: { user: "a@b.c", pass: "s/ecret" },
    });
    expect(parseSmtpUrl("smtp://mail.example.com")).toEqual({
      host: "mail.example.com",
      port: 587,
      secure: false,
    });
  });

  it("never echoes the URL (and its password) in the error", () => {
    expect(() => parseSmtpUrl("http://user:hunter2@mail.example.com")).toThrow(/^SMTP URL must/);
    for (const url of ["nonsense hunter2", "smtp://user:hunter2%E0%A4%A@mail.example.com"]) {
      expect(() => parseSmtpUrl(url)).toThrow(/^SMTP URL must/);
      expect(() => parseSmtpUrl(url)).not.toThrow(/hunter2/);
    }
  });
});

describe("classifySmtpError", () => {
  const withReply = (code: string, responseCode?: number) =>
    Object.assign(new Error("x"), { code, responseCode });

  it("treats 503 as a session problem, not a verdict on the message", () => {
    expect(classifySmtpError(withReply("EENVELOPE", 503), false).kind).toBe("retryable");
  });

  it("lets a server reply decide even after the body was sent", () => {
    expect(classifySmtpError(withReply("EMESSAGE", 552), true)).toMatchObject({
      kind: "rejected",
      code: "552",
    });
  });

  it("rejects envelope errors found before any server saw the message", () => {
    expect(classifySmtpError(withReply("EENVELOPE"), false)).toMatchObject({
      kind: "rejected",
      code: "EENVELOPE",
    });
  });

  it("redacts secrets from the message", () => {
    const outcome = classifySmtpError(new Error("login as u:hunter2 failed"), false, ["hunter2"]);
    expect(JSON.stringify(outcome)).not.toContain("hunter2");
  });
});
