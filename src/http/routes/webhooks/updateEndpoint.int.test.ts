import { describe, expect, it } from "vitest";
import { createEndpoint, deliveriesOf } from "../../../../test/endpointFixtures.js";
import { testAppForFile } from "../../../../test/harness.js";
import { eventSource } from "../../../../test/webhookFixtures.js";
import type { ErrorBody } from "../../errorHandler.js";

const t = testAppForFile();

describe("PATCH /v1/webhooks/endpoints/{id}", () => {
  it("re-validates the url and the fields, changing nothing on refusal", async () => {
    const created = await createEndpoint(t, t.key);
    const before = await t.get(`/v1/webhooks/endpoints/${created.id}`, { key: t.key });
    for (const [path, body] of [
      ["url", { url: "http://10.0.0.1/hook" }],
      ["url", { url: "ftp://93.184.216.34/" }],
      ["events.0", { events: ["nope"] }],
      ["maxConcurrency", { maxConcurrency: 0 }],
      ["secret", { secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }],
    ] as const) {
      const res = await t.patch<ErrorBody>(`/v1/webhooks/endpoints/${created.id}`, body, { key: t.key });
      expect(res.status).toBe(400);
      expect(res.body.details.map((d) => d.path)).toContain(path);
    }
    expect((await t.get(`/v1/webhooks/endpoints/${created.id}`, { key: t.key })).body).toEqual(before.body);
  });

  it("replaces the given fields and bumps updatedAt", async () => {
    const created = await createEndpoint(t, t.key, { description: "old" });
    t.clock.advance(1000);
    const res = await t.patch(
      `/v1/webhooks/endpoints/${created.id}`,
      {
        url: "https://93.184.216.34/other",
        events: ["leadTagged"],
        description: null,
        maxConcurrency: 2,
        rateLimitPerSecond: 7,
      },
      { key: t.key },
    );
    expect(res.status).toBe(200);
    const { secret: _shownOnce, ...view } = created;
    const expected = {
      ...view,
      url: "https://93.184.216.34/other",
      events: ["leadTagged"],
      description: null,
      maxConcurrency: 2,
      rateLimitPerSecond: 7,
      updatedAt: t.clock.now().toISOString(),
    };
    expect(res.body).toEqual(expected);
    expect((await t.get(`/v1/webhooks/endpoints/${created.id}`, { key: t.key })).body).toEqual(expected);
  });
});

describe("PATCH /v1/webhooks/endpoints/{id}: disable, enable", () => {
  /** PATCH `enabled` with the given key; the response. */
  const setEnabled = (id: string, enabled: boolean, k: string) =>
    t.patch(`/v1/webhooks/endpoints/${id}`, { enabled }, { key: k });

  it("while disabled the endpoint gets nothing; re-enabling reports what it missed", async () => {
    const k = await t.newOrg();
    const { emit } = await eventSource(t, k);
    const endpoint = await createEndpoint(t, k, { events: ["lead.additionalInfo.updated"] });
    await emit("before");
    expect(await deliveriesOf(t, endpoint.id)).toHaveLength(1);

    t.clock.advance(60_000);
    const disabledAt = t.clock.now().toISOString();
    const off = await setEnabled(endpoint.id, false, k);
    expect(off.body).toMatchObject({ enabled: false, disabledReason: "manual", disabledAt });
    expect(off.body).not.toHaveProperty("missed");

    t.clock.advance(1000);
    await emit("while off 1");
    await emit("while off 2");
    expect(await deliveriesOf(t, endpoint.id)).toHaveLength(1);

    // Disabling again keeps the original moment it went dark.
    const again = await setEnabled(endpoint.id, false, k);
    expect(again.body).toMatchObject({ disabledAt });

    t.clock.advance(1000);
    const on = await setEnabled(endpoint.id, true, k);
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      missed: { since: disabledAt, events: 2 },
    });
    const row = await t.app.database.db
      .selectFrom("webhook_endpoints")
      .select(["disabled_reason", "disabled_at", "failing_since"])
      .where("id", "=", endpoint.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ disabled_reason: null, disabled_at: null, failing_since: null });

    const still = await setEnabled(endpoint.id, true, k);
    expect(still.body).not.toHaveProperty("missed");
    await emit("after");
    expect(await deliveriesOf(t, endpoint.id)).toHaveLength(2);
  });

  it("re-enabling an endpoint disabled as failing clears failing_since and counts only its filter", async () => {
    const k = await t.newOrg();
    const { emit } = await eventSource(t, k);
    const endpoint = await createEndpoint(t, k, { events: ["optOut"] });
    await t.app.database.db
      .updateTable("webhook_endpoints")
      .set({
        enabled: 0,
        disabled_reason: "failing",
        disabled_at: t.clock.now().toISOString(),
        failing_since: "2024-01-10T00:00:00.000Z",
      })
      .where("id", "=", endpoint.id)
      .execute();
    expect((await t.get(`/v1/webhooks/endpoints/${endpoint.id}`, { key: k })).body).toMatchObject({
      enabled: false,
      disabledReason: "failing",
    });
    await emit("not an optOut");
    const on = await setEnabled(endpoint.id, true, k);
    expect(on.body).toMatchObject({ enabled: true, disabledReason: null, missed: { events: 0 } });
  });
});
