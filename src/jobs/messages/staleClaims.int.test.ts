import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeTwilio, startFakeTwilio } from "../../../test/fakeTwilio.js";
import { ADMIN_KEY, startTestApp, type TestApp } from "../../../test/harness.js";
import { claimMessages } from "./claimMessages.js";
import { markProviderCalls } from "./providerCallMarks.js";

const SID = `AC${"c3".repeat(16)}`;
const TOKEN = "stale-claims-token";
const LEASE_MS = 60_000;
const DEAD = "dead-worker";

let t: TestApp;
let twilio: FakeTwilio;
let phone = 100;

beforeAll(async () => {
  twilio = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
  t = await startTestApp({
    env: {
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_FROM: "+12025550000",
      TWILIO_API_BASE_URL: twilio.baseUrl,
      MESSAGE_CLAIM_LEASE_MS: String(LEASE_MS),
    },
  });
  await t.request("POST", "/v1/profiles", { key: ADMIN_KEY, body: { name: "P" } });
});
afterAll(async () => {
  await t.close();
  await twilio.close();
});

/** A queued SMS, due now; returns its id and the lead's phone. */
async function queued(text: string): Promise<{ id: string; phone: string }> {
  const p = `+1202555${String(phone++).padStart(4, "0")}`;
  const lead = await t.request("POST", "/v1/leads/create", {
    key: ADMIN_KEY,
    body: { firstName: "A", lastName: "B", phone: p, customerProfile: "P" },
  });
  const res = await t.request("POST", `/v1/leads/${(lead.body as { id: string }).id}/sendMessage`, {
    key: ADMIN_KEY,
    body: { message: text, overrideBusinessHours: true },
  });
  return { id: (res.body as { messageId: string }).messageId, phone: p };
}

const row = (id: string) =>
  t.app.database.db
    .selectFrom("messages")
    .select(["status", "attempts", "provider_call_at", "provider_message_id", "claimed_by"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();

const postsTo = (to: string) => twilio.requests.filter((r) => r.method === "POST" && r.params.To === to);

describe("a sender stopped mid-batch", () => {
  it("leaves only the started provider calls `unknown`; the rest are queued again and sent once", async () => {
    const messages = [await queued("one"), await queued("two"), await queued("three"), await queued("four")];
    const ids = messages.map((m) => m.id);
    // A sender claims the batch, marks two provider calls as starting, and stops right there.
    const claimed = await claimMessages(t.app.database, { workerId: DEAD, now: t.clock.now(), limit: 100 });
    expect(claimed.map((r) => r.id).sort()).toEqual([...ids].sort());
    const started = ids.slice(0, 2);
    expect(
      await markProviderCalls(
        t.app.database,
        DEAD,
        started.map((id) => ({ id, provider: "twilio" })),
        t.clock.now(),
      ),
    ).toEqual([true, true]);

    // Within the lease nothing moves: the holder may still be working.
    await t.app.messages.runDue();
    for (const id of ids) expect((await row(id)).status).toBe("sending");

    t.clock.advance(LEASE_MS + 1000);
    await t.app.messages.runDue();
    for (const id of started) {
      expect(await row(id)).toMatchObject({ status: "unknown", attempts: 1, provider_message_id: null });
    }
    for (const m of messages.slice(2)) {
      const r = await row(m.id);
      // Queued again (not counted as a failed attempt), claimed by the live sender, sent once.
      expect(r).toMatchObject({ status: "sent", attempts: 1 });
      expect(postsTo(m.phone)).toHaveLength(1);
      expect(r.provider_message_id).toBe(twilio.messages.find((x) => x.to === m.phone)?.sid);
    }
    for (const m of messages.slice(0, 2)) expect(postsTo(m.phone)).toEqual([]);

    // The stopped sender's late mark for a message someone else has since sent starts nothing.
    const requeued = ids[2] ?? "";
    expect(
      await markProviderCalls(t.app.database, DEAD, [{ id: requeued, provider: "twilio" }], t.clock.now()),
    ).toEqual([false]);

    // More passes change nothing: `unknown` is never resent by the sender.
    t.clock.advance(LEASE_MS * 3);
    await t.app.messages.runDue();
    for (const id of started) expect((await row(id)).status).toBe("unknown");
    expect(twilio.requests.filter((r) => r.method === "POST")).toHaveLength(2);
  });

  it("lets each claim start at most one provider call, whoever tries", async () => {
    const m = await queued("just one call");
    const [claimed] = await claimMessages(t.app.database, { workerId: DEAD, now: t.clock.now(), limit: 100 });
    expect(claimed?.id).toBe(m.id);
    const call = [{ id: m.id, provider: "twilio" }];
    expect(await markProviderCalls(t.app.database, DEAD, call, t.clock.now())).toEqual([true]);
    expect(await markProviderCalls(t.app.database, DEAD, call, t.clock.now())).toEqual([false]);
    expect(await markProviderCalls(t.app.database, "another-worker", call, t.clock.now())).toEqual([false]);
  });
});
