import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssistantWorker } from "../../src/jobs/assistant/assistantWorker.js";
import { startTestApp, type TestApp } from "../harness.js";

// A job that keeps failing (here: a brain that throws every time) is retried with backoff, then
// given up: the message waiting for its draft is blocked rather than left waiting forever, and
// the timeline says why.

let t: TestApp;
let key: string;
let worker: AssistantWorker;
let calls = 0;

beforeAll(async () => {
  t = await startTestApp();
  t.clock.set("2024-01-15T18:00:00.000Z");
  key = await t.newOrg();
  await t.request("POST", "/v1/profiles", { key, body: { name: "P", initialOutreach: true } });
  const broken = () => {
    calls++;
    throw new Error("brain exploded");
  };
  worker = new AssistantWorker({
    ctx: t.app.ctx,
    database: t.app.database,
    logger: t.app.logger,
    assistantFor: () => ({ brain: "rules", write: broken, read: broken, command: broken }),
    publicUrl: t.app.config.publicUrl,
    notifyByEmail: async () => {},
    workerId: "test-worker",
    batchSize: 10,
    pollIntervalMs: 1000,
    concurrency: 2,
    leaseMs: 60_000,
  });
});
afterAll(() => t.close());

describe("an assistant job that keeps failing", () => {
  it("is retried with backoff, then its message is blocked with the reason", async () => {
    const res = await t.request("POST", "/v1/leads/create", {
      key,
      body: {
        firstName: "Jo",
        lastName: "K",
        phone: "+12025550188",
        customerProfile: "P",
        timeZone: "America/New_York",
      },
    });
    const leadId = (res.body as { id: string }).id;
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await worker.runDue()).toBe(1);
      // Nothing more is due until the backoff has passed.
      expect(await worker.runDue()).toBe(0);
      t.clock.advance(31 * 60_000);
    }
    expect(calls).toBe(5);
    expect(await worker.runDue()).toBe(0);
    const message = await t.app.database.db
      .selectFrom("messages")
      .select(["status", "blocked_reason", "draft"])
      .where("lead_id", "=", leadId)
      .executeTakeFirstOrThrow();
    expect(message).toEqual({
      status: "blocked",
      blocked_reason: "the assistant could not write this message after 5 attempts: brain exploded",
      draft: null,
    });
    const timeline = await t.request(
      "GET",
      `/v1/leads/${leadId}/events?since=2024-01-01T00:00:00Z&types=TOOL_CALL`,
      {
        key,
      },
    );
    expect((timeline.body as { events: { data: unknown }[] }).events.map((e) => e.data)).toEqual([
      expect.objectContaining({ tool: "write_message", brain: "rules", result: "failed" }),
    ]);
  });
});
