import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import { type Receiver, startReceiver } from "../../../../test/receiver.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { CreateEndpointResponse } from "./createEndpoint.js";

/** A real receiver on loopback: the test route must go through the real dispatcher and network. */
let open: TestApp;
let receiver: Receiver;
let k: string;

beforeAll(async () => {
  open = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" } });
  receiver = await startReceiver();
  k = await open.newOrg();
});
afterAll(async () => {
  await open.close();
  await receiver.close();
});

async function endpointAt(body: Record<string, unknown> = {}): Promise<string> {
  const res = await open.post<CreateEndpointResponse>(
    "/v1/webhooks/endpoints",
    { url: `${receiver.url}/hook`, ...body },
    { key: k },
  );
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

/** The body of the last request the receiver got, parsed. */
const lastBody = () => JSON.parse(receiver.received.at(-1)?.body.toString("utf8") ?? "{}");

describe("POST /v1/webhooks/endpoints/{id}/test", () => {
  it("sends a sample message.sent now and returns the attempt", async () => {
    const id = await endpointAt({ events: ["optOut"] });
    const other = await endpointAt();
    const before = receiver.received.length;
    const res = await open.post(`/v1/webhooks/endpoints/${id}/test`, {}, { key: k });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, succeeded: true, error: null });
    expect(receiver.received).toHaveLength(before + 1);
    const sent = receiver.received.at(-1);
    expect(lastBody()).toMatchObject({
      event: "message.sent",
      data: {
        leadId: "00000000-0000-7000-8000-000000000000",
        phone: "+12025550189",
        profile: "Sample Profile",
        content: { text: "This is a test event from Leadwire." },
      },
    });
    // The sample stays out of the event log and reaches only the endpoint under test.
    const eventId = String(sent?.headers["webhook-id"]);
    const event = await open.app.database.db
      .selectFrom("events")
      .select("is_test")
      .where("id", "=", eventId)
      .executeTakeFirstOrThrow();
    expect(event.is_test).toBe(1);
    const log = await open.get("/v1/events", { key: k });
    expect(log.text).not.toContain(eventId);
    const otherDeliveries = await open.app.database.db
      .selectFrom("webhook_deliveries")
      .select("id")
      .where("endpoint_id", "=", other)
      .execute();
    expect(otherDeliveries).toEqual([]);
  });

  it("needs no body", async () => {
    const id = await endpointAt();
    const res = await open.post(`/v1/webhooks/endpoints/${id}/test`, undefined, { key: k });
    expect(res.status, res.text).toBe(200);
    expect(lastBody()).toMatchObject({ event: "message.sent" });
  });

  it("sends the chosen event type, also to a disabled endpoint", async () => {
    const id = await endpointAt({ enabled: false });
    const res = await open.post(
      `/v1/webhooks/endpoints/${id}/test`,
      { eventType: "lead.additionalInfo.updated" },
      { key: k },
    );
    expect(res.body).toMatchObject({ statusCode: 200, succeeded: true });
    expect(lastBody()).toMatchObject({
      event: "lead.additionalInfo.updated",
      eventId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it("refuses an unknown event type", async () => {
    const id = await endpointAt();
    const res = await open.post<ErrorBody>(
      `/v1/webhooks/endpoints/${id}/test`,
      { eventType: "call.completed" },
      { key: k },
    );
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.path)).toContain("eventType");
  });
});
