import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readInbound } from "../../src/domain/assistant/readInbound.js";
import { claimAssistantJobs } from "../../src/jobs/assistant/claimAssistantJobs.js";
import { createAssistantChooser } from "../../src/providers/assistant/chooseAssistant.js";
import { freshDatabase, startTestApp, type TestApp, type TestDatabase } from "../harness.js";

// Two workers on one PostgreSQL reading the same burst of inbound messages: each message is read,
// and answered, exactly once; a worker that lost its lease (it stalled, another took the job)
// cannot apply the effects a second time when it wakes up.

const LEADS = 60;
let database: TestDatabase;
let a: TestApp;
let b: TestApp;
let key: string;
const NOW = "2024-01-15T15:00:00.000Z";

beforeAll(async () => {
  database = freshDatabase();
  a = await startTestApp({ database });
  b = await startTestApp({ database });
  a.clock.set(NOW);
  b.clock.set(NOW);
  key = await a.newOrg();
  await a.request("POST", "/v1/profiles", {
    key,
    body: { name: "P", emailEnabled: true, followUpConfig: { "1": { hours: 24, channel: "email" } } },
  });
});
afterAll(async () => {
  await a.close();
  await b.close();
  await database.drop();
});

async function inboundEmail(from: string, text: string): Promise<void> {
  const addresses = await a.request("GET", "/v1/inbound-addresses", { key });
  const url = new URL((addresses.body as { email: string }).email);
  const res = await a.app.http.inject({
    method: "POST",
    url: url.pathname,
    headers: { "content-type": "application/json" },
    payload: { from, to: "in@leadwire.test", subject: "Re: hello", text },
  });
  expect(res.statusCode).toBeLessThan(300);
}

async function burst(prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < LEADS; i++) {
    const email = `${prefix}${i}@example.com`;
    const res = await a.request("POST", "/v1/leads/create", {
      key,
      body: {
        firstName: `L${i}`,
        lastName: "X",
        phone: `+1720555${prefix === "one" ? "1" : "2"}${String(i).padStart(3, "0")}`,
        email,
        customerProfile: "P",
      },
    });
    ids.push((res.body as { id: string }).id);
    await inboundEmail(
      email,
      i % 3 === 0 ? "what does it cost?" : i % 3 === 1 ? "sounds good" : "can you call me friday?",
    );
  }
  return ids;
}

async function counts(leadIds: string[]) {
  const db = a.app.database.db;
  const replies = await db
    .selectFrom("messages")
    .select(["reply_to_id"])
    .where("lead_id", "in", leadIds)
    .where("reply_to_id", "is not", null)
    .execute();
  const reads = await db
    .selectFrom("timeline")
    .select(["lead_id", "data"])
    .where("lead_id", "in", leadIds)
    .where("type", "=", "TOOL_CALL")
    .execute();
  const readReply = reads.filter((r) => (JSON.parse(r.data) as { tool: string }).tool === "read_reply");
  return {
    replies: replies.length,
    distinct: new Set(replies.map((r) => r.reply_to_id)).size,
    reads: readReply.length,
  };
}

describe("assistant jobs across two PostgreSQL workers", () => {
  it("reads a burst once and answers each message exactly once", async () => {
    const ids = await burst("one");
    const runs = await Promise.all([
      a.app.assistant.runDue(),
      b.app.assistant.runDue(),
      a.app.assistant.runDue(),
    ]);
    expect(runs.reduce((x, y) => x + y, 0)).toBe(LEADS);
    expect(await counts(ids)).toEqual({ replies: LEADS, distinct: LEADS, reads: LEADS });
  });

  it("a stalled worker whose jobs were taken over cannot apply them again", async () => {
    const ids = await burst("two");
    const now = new Date(NOW);
    const stalled = await claimAssistantJobs(a.app.database, {
      workerId: "stalled",
      now,
      limit: 500,
      leaseMs: 1000,
    });
    expect(stalled).toHaveLength(LEADS);
    // The lease ends; the live workers take the jobs over and finish them.
    for (const t of [a, b]) t.clock.set("2024-01-15T15:00:05.000Z");
    await Promise.all([a.app.assistant.runDue(), b.app.assistant.runDue()]);
    expect(await counts(ids)).toEqual({ replies: LEADS, distinct: LEADS, reads: LEADS });
    // The stalled worker wakes up and finishes what it had claimed: nothing changes.
    const deps = {
      ctx: a.app.ctx,
      assistantFor: createAssistantChooser({
        config: a.app.config.assistant,
        secrets: a.app.ctx.secrets,
        clock: a.clock,
        logger: a.app.logger,
      }),
      publicUrl: a.app.config.publicUrl,
      notifyByEmail: async () => {},
    };
    for (const job of stalled) await readInbound(deps, job);
    expect(await counts(ids)).toEqual({ replies: LEADS, distinct: LEADS, reads: LEADS });
  });
});
