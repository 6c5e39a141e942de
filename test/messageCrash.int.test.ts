import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import type { SendMessageResponse } from "../src/http/routes/leads/sendMessage.js";
import { createLead } from "./apiFixtures.js";
import { startFakeTwilio } from "./fakeTwilio.js";
import { ADMIN_KEY, freshDatabase, startTestApp } from "./harness.js";
import { type LeadwireProcess, startProcess } from "./processes.js";

const database = freshDatabase();
const children: LeadwireProcess[] = [];
afterAll(async () => {
  for (const c of children) c.child.kill("SIGKILL");
  await database.drop();
});

const SID = `AC${"b2".repeat(16)}`;
const TOKEN = "crash-test-token";
const FROM = "+12025550000";

/**
 * The operator's compliance middleware, which every send waits for right before its provider
 * call: it answers at once for the phones in `fast` and holds the others, so a batch is caught
 * with some provider calls started and some not.
 */
async function startCompliance(fast: Set<string>) {
  const held = new Set<ServerResponse>();
  let holding = true;
  let seen = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen++;
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { lead: { phone: string } };
      if (holding && !fast.has(body.lead.phone)) {
        held.add(res);
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end('{"allow":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/check`,
    seen: () => seen,
    answerAll() {
      holding = false;
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("a worker killed mid-batch, between claiming its sends and the provider's answers", () => {
  it("leaves only the started provider calls `unknown` (reconciled from Twilio); the rest are queued again; each lead gets its message once", {
    timeout: 90_000,
  }, async () => {
    const phones = Array.from({ length: 6 }, (_, i) => `+120255501${String(i).padStart(2, "0")}`);
    const started = phones.slice(0, 3);
    const compliance = await startCompliance(new Set(started));
    const twilio = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
    // Twilio takes each message, but no answer ever comes back.
    twilio.respondWith((r) => (r.method === "POST" ? { hang: true, created: true } : undefined));
    const env = {
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_FROM: FROM,
      TWILIO_API_BASE_URL: twilio.baseUrl,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
    };
    const t = await startTestApp({ database, realTime: true, env });
    try {
      const key = ADMIN_KEY;
      await t.request("PATCH", "/v1/settings", {
        key,
        body: { complianceCheck: { url: compliance.url, channels: ["sms"], timeoutMs: 30_000 } },
      });
      await t.request("POST", "/v1/profiles", { key, body: { name: "P" } });
      const messageOf = new Map<string, string>();
      for (const phone of phones) {
        const lead = await createLead(t, key, { firstName: "A", lastName: "B", phone, customerProfile: "P" });
        const sent = await t.post<SendMessageResponse>(
          `/v1/leads/${lead}/sendMessage`,
          { message: `only once to ${phone}`, overrideBusinessHours: true },
          { key },
        );
        messageOf.set(phone, sent.body.messageId);
      }
      const rows = () =>
        t.app.database.db
          .selectFrom("messages")
          .select(["id", "status", "provider_call_at", "provider_message_id", "attempts"])
          .where("direction", "=", "outbound")
          .execute();

      const workerEnv = {
        ...database.env,
        ...env,
        MESSAGE_CLAIM_LEASE_MS: "1500",
        PROVIDER_TIMEOUT_MS: "1000",
        WORKER_POLL_INTERVAL_MS: "100",
      };
      // The first worker's calls must still be waiting when it is killed, however slow the machine.
      const first = await startProcess(
        { ...workerEnv, PROVIDER_TIMEOUT_MS: "60000", MESSAGE_CLAIM_LEASE_MS: "120000" },
        "worker",
      );
      children.push(first);
      const posts = () => twilio.requests.filter((r) => r.method === "POST");
      await expect.poll(() => compliance.seen(), { timeout: 20_000 }).toBe(6);
      await expect.poll(() => posts().length, { timeout: 20_000 }).toBe(3);
      first.child.kill("SIGKILL");
      await first.exited;

      // Every send is still claimed; only those whose provider call started carry the mark.
      const claimed = await rows();
      expect(claimed.map((r) => r.status)).toEqual(Array(6).fill("sending"));
      const marked = new Set(claimed.filter((r) => r.provider_call_at !== null).map((r) => r.id));
      expect(marked).toEqual(new Set(started.map((p) => messageOf.get(p))));
      expect(new Set(posts().map((r) => r.params.To))).toEqual(new Set(started));

      compliance.answerAll();
      twilio.respondWith(undefined);
      const second = await startProcess(workerEnv, "worker");
      children.push(second);
      await expect
        .poll(async () => (await rows()).map((r) => r.status), { timeout: 30_000, interval: 200 })
        .toEqual(Array(6).fill("sent"));

      // One provider request and one Twilio message per lead: the three that never reached Twilio
      // went out after the restart, the three that did were found there, not sent again.
      for (const phone of phones) {
        expect(posts().filter((r) => r.params.To === phone)).toHaveLength(1);
        expect(twilio.messages.filter((m) => m.to === phone)).toHaveLength(1);
      }
      const after = new Map((await rows()).map((r) => [r.id, r]));
      for (const phone of phones) {
        const row = after.get(messageOf.get(phone) ?? "");
        expect(row?.provider_message_id).toBe(twilio.messages.find((m) => m.to === phone)?.sid);
        expect(row?.attempts).toBe(1);
      }
      const reconciled = await t.app.database.db
        .selectFrom("timeline")
        .select("data")
        .where("data", "like", '%"decidedBy":"reconciler"%')
        .execute();
      expect(new Set(reconciled.map((e) => (JSON.parse(e.data) as { messageId: string }).messageId))).toEqual(
        marked,
      );
      const events = await t.app.database.db
        .selectFrom("events")
        .select("lead_id")
        .where("type", "=", "message.sent")
        .execute();
      expect(events).toHaveLength(6);
      expect(new Set(events.map((e) => e.lead_id)).size).toBe(6);

      second.child.kill("SIGTERM");
      await second.exited;
    } finally {
      await t.close();
      await twilio.close();
      await compliance.close();
    }
  });
});
