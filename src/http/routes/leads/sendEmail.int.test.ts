import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import { type Receiver, startReceiver } from "../../../../test/receiver.js";
import { startSmtpServer } from "../../../../test/smtpServer.js";
import { insertEndpoint, orgIdOf } from "../../../../test/webhookFixtures.js";

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let r: Receiver;
let key: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  r = await startReceiver();
  t = await startTestApp({
    env: {
      SMTP_URL: smtp.url,
      EMAIL_FROM: "Leadwire Demo <hello@leadwire.test>",
      PUBLIC_URL: "https://leadwire.example.com",
      WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
    },
  });
  key = await t.newOrg();
  await insertEndpoint(t, await orgIdOf(t, key), r.url, { events: ["message.sent"] });
  await t.request("PATCH", "/v1/settings", {
    key,
    body: { senders: { email: { replyTo: "replies@inbound.leadwire.test" } } },
  });
  await t.request("POST", "/v1/profiles", { key, body: { name: "P", emailEnabled: true } });
  t.clock.set("2024-01-15T14:30:00.000Z");
});
afterAll(async () => {
  await t.close();
  await smtp.close();
  await r.close();
});

describe("email through a real SMTP server", () => {
  it("sends From, Reply-To, RFC 8058 unsubscribe headers, a unicode subject, and announces message.sent", async () => {
    const leadId = await createLead(t, key, {
      firstName: "Zoë",
      lastName: "B",
      phone: "+12025550177",
      email: "zoe@example.com",
      customerProfile: "P",
    });
    const subject = "Suivi: votre intérêt 🚀 — 東京";
    const res = await t.request("POST", `/v1/leads/${leadId}/sendMessage`, {
      key,
      body: { channel: "email", subject, message: "Bonjour Zoë,\nune visite mardi ? 😀" },
    });
    expect(res.status).toBe(200);
    await t.app.messages.runDue();
    await t.app.webhooks.runDue();

    expect(smtp.messages).toHaveLength(1);
    const mail = await simpleParser(smtp.messages[0]?.raw ?? Buffer.alloc(0));
    expect(mail.from?.value[0]?.address).toBe("hello@leadwire.test");
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : undefined).toBe(
      "zoe@example.com",
    );
    expect(mail.replyTo?.value[0]?.address).toBe("replies@inbound.leadwire.test");
    expect(mail.subject).toBe(subject);
    // mailparser folds List-* headers into its own object; the wire form is what clients read.
    const rawHeader = (name: string) =>
      mail.headerLines
        .find((h) => h.key === name)
        ?.line.replace(/^[^:]+:\s*/, "")
        .replace(/\r?\n\s+/g, " ") ?? "";
    const unsubscribe = /^<(https:\/\/leadwire\.example\.com\/unsubscribe\/[A-Za-z0-9_-]{32})>$/.exec(
      rawHeader("list-unsubscribe"),
    );
    expect(unsubscribe).not.toBeNull();
    expect(rawHeader("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(mail.text).toContain("Bonjour Zoë,\nune visite mardi ? 😀");
    expect(mail.text).toContain(unsubscribe?.[1] ?? "missing");

    const row = await t.app.database.db
      .selectFrom("messages")
      .selectAll()
      .where("lead_id", "=", leadId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "sent", provider: "smtp" });
    expect(row.provider_message_id).toBe(mail.messageId);
    expect(r.received.at(-1)?.body.toString("utf8")).toBe(
      `{"event":"message.sent","data":{"leadId":"${leadId}","phone":"+12025550177","channel":"email","profile":"P",` +
        `"isFollowUp":false,"followUpStep":null,"content":{"subject":"${subject}","text":"Bonjour Zoë,\\nune visite mardi ? 😀"}},` +
        `"timestamp":"2024-01-15T14:30:00Z"}`,
    );
  });
});
