import { beforeAll, describe, expect, it, vi } from "vitest";
import { createOrg, type Org } from "../../../../test/apiFixtures.js";
import {
  type DeliveryRow,
  deliveryId,
  deliveryLogForFile,
  failedForGood,
  hexId,
  NOW,
  seedAttempt,
  seedDelivery,
  seedEndpoint,
  seedEvent,
  storedRow,
  viewOf,
} from "../../../../test/deliveryLog.js";
import { testAppForFile } from "../../../../test/harness.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { GetDeliveryResponse } from "./getDelivery.js";

const t = testAppForFile();
const log = deliveryLogForFile(t);
/** Org C holds the deliveries the retry tests change. */
let orgC: Org;
let wakes = 0;
const created = "2024-01-15T09:00:00.000Z";

beforeAll(async () => {
  orgC = await createOrg(t, "Org C");
  await seedEndpoint(t, orgC, "whe_c1");
  await seedEndpoint(t, orgC, "whe_c_off", false);
  for (const n of [201, 202, 203, 204, 205]) await seedEvent(t, orgC, n, "message.sent", created);
  const base = { event_type: "message.sent", created_at: created } as const;
  await seedDelivery(t, orgC, {
    ...base,
    id: deliveryId(201),
    endpoint_id: "whe_c1",
    event_id: hexId(201),
    ...failedForGood("2024-01-15T12:00:00.000Z", 500, "HTTP 500"),
  });
  await seedAttempt(t, orgC, {
    id: "wha_201",
    delivery_id: deliveryId(201),
    attempted_at: "2024-01-15T12:00:00.000Z",
    duration_ms: 80,
    status_code: 500,
    response_body: "no",
    error: null,
    succeeded: 0,
  });
  await seedDelivery(t, orgC, {
    ...base,
    id: deliveryId(202),
    endpoint_id: "whe_c1",
    event_id: hexId(202),
    status: "succeeded",
    attempts: 1,
    next_attempt_at: null,
    last_status_code: 204,
    updated_at: "2024-01-15T09:00:01.000Z",
    completed_at: "2024-01-15T09:00:01.000Z",
  });
  await seedDelivery(t, orgC, {
    ...base,
    id: deliveryId(203),
    endpoint_id: "whe_c1",
    event_id: hexId(203),
    attempts: 3,
    next_attempt_at: "2024-01-15T16:00:00.000Z",
    last_error: "connect ECONNREFUSED",
    updated_at: "2024-01-15T11:00:00.000Z",
  });
  await seedDelivery(t, orgC, {
    ...base,
    id: deliveryId(204),
    endpoint_id: "whe_c1",
    event_id: hexId(204),
    attempts: 1,
    next_attempt_at: "2024-01-15T14:29:00.000Z",
    locked_by: "worker-1",
    locked_until: "2024-01-15T14:31:00.000Z",
    updated_at: "2024-01-15T14:29:00.000Z",
  });
  await seedDelivery(t, orgC, {
    ...base,
    id: deliveryId(205),
    endpoint_id: "whe_c_off",
    event_id: hexId(205),
    ...failedForGood("2024-01-15T12:00:00.000Z", 410, null),
  });
  vi.spyOn(t.app.ctx, "wakeDispatcher").mockImplementation(() => {
    wakes++;
  });
});

async function retry<TRes = unknown>(org: Org, id: string) {
  return t.post<TRes>(`/v1/webhooks/deliveries/${id}/retry`, undefined, { key: org.key });
}

async function expectRequeued(id: string, before: DeliveryRow): Promise<void> {
  t.clock.set(NOW);
  const wakesBefore = wakes;
  const res = await retry(orgC, id);
  expect(res.status, res.text).toBe(202);
  const after: DeliveryRow = {
    ...before,
    status: "pending",
    next_attempt_at: NOW,
    locked_by: null,
    locked_until: null,
    completed_at: null,
    updated_at: NOW,
  };
  expect(await storedRow(t, id)).toEqual(after);
  expect(res.body).toEqual({ message: "Delivery queued for retry.", delivery: viewOf(after) });
  expect(wakes).toBe(wakesBefore + 1);
}

describe("POST /v1/webhooks/deliveries/{id}/retry", () => {
  it("requeues a failed delivery now, keeping its attempt count and history", async () => {
    await expectRequeued(deliveryId(201), await storedRow(t, deliveryId(201)));
    const detail = await t.get<GetDeliveryResponse>(`/v1/webhooks/deliveries/${deliveryId(201)}`, {
      key: orgC.key,
    });
    expect(detail.body.attempts.map((a) => a.id)).toEqual(["wha_201"]);
    expect(detail.body.lastStatusCode).toBe(500);
  });

  it("replays a succeeded delivery", async () => {
    await expectRequeued(deliveryId(202), await storedRow(t, deliveryId(202)));
  });

  it("brings a waiting pending delivery forward to now", async () => {
    await expectRequeued(deliveryId(203), await storedRow(t, deliveryId(203)));
  });

  it("requeues a delivery a worker holds, releasing the lease", async () => {
    await expectRequeued(deliveryId(204), await storedRow(t, deliveryId(204)));
  });

  it("refuses with 409 when the endpoint is disabled, changing nothing", async () => {
    const before = await storedRow(t, deliveryId(205));
    const wakesBefore = wakes;
    const res = await retry<ErrorBody>(orgC, deliveryId(205));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("CONFLICT");
    expect(res.body.message).toContain("enable the endpoint first");
    expect(await storedRow(t, deliveryId(205))).toEqual(before);
    expect(wakes).toBe(wakesBefore);
  });

  it("answers 404 for another org's delivery and for an unknown one, changing nothing", async () => {
    const before = await storedRow(t, deliveryId(6));
    for (const [org, id] of [
      [orgC, deliveryId(6)],
      [log().orgB, deliveryId(201)],
      [orgC, "whd_nope"],
    ] as const) {
      const res = await retry<ErrorBody>(org, id);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("NOT_FOUND");
    }
    expect(await storedRow(t, deliveryId(6))).toEqual(before);
  });
});
