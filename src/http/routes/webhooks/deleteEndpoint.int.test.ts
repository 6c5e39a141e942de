import { describe, expect, it } from "vitest";
import { createEndpoint, deliveriesOf } from "../../../../test/endpointFixtures.js";
import { testAppForFile } from "../../../../test/harness.js";
import { eventSource } from "../../../../test/webhookFixtures.js";

const t = testAppForFile();

const attemptsOf = (deliveryId: string) =>
  t.app.database.db
    .selectFrom("webhook_attempts")
    .select("id")
    .where("delivery_id", "=", deliveryId)
    .execute();

describe("DELETE /v1/webhooks/endpoints/{id}", () => {
  it("removes the endpoint with its deliveries and attempts", async () => {
    const k = await t.newOrg();
    const { emit } = await eventSource(t, k);
    const endpoint = await createEndpoint(t, k);
    const kept = await createEndpoint(t, k);
    await emit("v");
    const [delivery] = await deliveriesOf(t, endpoint.id);
    if (delivery === undefined) throw new Error("expected a delivery");
    await t.app.database.db
      .insertInto("webhook_attempts")
      .values({
        id: "wha_test",
        delivery_id: delivery.id,
        org_id: delivery.org_id,
        attempted_at: delivery.created_at,
        duration_ms: 12,
        status_code: 500,
        response_body: "oops",
        error: null,
        succeeded: 0,
      })
      .execute();

    const res = await t.delete(`/v1/webhooks/endpoints/${endpoint.id}`, { key: k });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: "Webhook endpoint deleted." });
    expect((await t.get(`/v1/webhooks/endpoints/${endpoint.id}`, { key: k })).status).toBe(404);
    expect((await t.delete(`/v1/webhooks/endpoints/${endpoint.id}`, { key: k })).status).toBe(404);
    expect(await deliveriesOf(t, endpoint.id)).toEqual([]);
    expect(await attemptsOf(delivery.id)).toEqual([]);
    expect(await deliveriesOf(t, kept.id)).toHaveLength(1);
  });
});
