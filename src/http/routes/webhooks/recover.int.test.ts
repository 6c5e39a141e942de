import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { createEndpoint as postEndpoint } from "../../../../test/endpointFixtures.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import type { DeliveryStatus } from "../../../db/schema.js";
import { newEventId } from "../../../ids.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { RecoverEndpointResponse } from "./recoverEndpoint.js";

let t: TestApp;
let phone = 200;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

interface Org {
  key: string;
  leadId: string;
  /** Emits one `lead.additionalInfo.updated` and returns its event id. */
  change(value: string): Promise<string>;
}

async function newOrg(): Promise<Org> {
  const key = await t.newOrg();
  await t.request("POST", "/v1/profiles", { key, body: { name: "P" } });
  const leadId = await createLead(t, key, {
    firstName: "Ada",
    lastName: "Lovelace",
    phone: `+1202555${String(phone++).padStart(4, "0")}`,
    customerProfile: "P",
  });
  return {
    key,
    leadId,
    async change(value) {
      const patch = await t.request("PATCH", `/v1/leads/${leadId}`, {
        key,
        body: { additionalInfo: { k: value } },
      });
      expect(patch.status, patch.text).toBe(200);
      const event = await t.app.database.db
        .selectFrom("events")
        .select("id")
        .where("lead_id", "=", leadId)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow();
      return event.id;
    },
  };
}

async function createEndpoint(key: string, body: Record<string, unknown> = {}): Promise<string> {
  return (await postEndpoint(t, key, body)).id;
}

async function recover<TRes = RecoverEndpointResponse>(
  key: string,
  endpointId: string,
  body: Record<string, unknown>,
) {
  return t.post<TRes>(`/v1/webhooks/endpoints/${endpointId}/recover`, body, { key });
}

async function deliveries(endpointId: string) {
  return t.app.database.db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("endpoint_id", "=", endpointId)
    .orderBy("event_id")
    .execute();
}

async function delivery(endpointId: string, eventId: string) {
  return t.app.database.db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("endpoint_id", "=", endpointId)
    .where("event_id", "=", eventId)
    .executeTakeFirst();
}

/** What the dispatcher leaves behind, written directly: these tests are about recovery only. */
async function settle(endpointId: string, eventId: string, status: DeliveryStatus): Promise<void> {
  await t.app.database.db
    .updateTable("webhook_deliveries")
    .set({
      status,
      attempts: 8,
      next_attempt_at: null,
      locked_by: "worker-1",
      locked_until: "2024-01-15T14:31:00.000Z",
      last_status_code: 500,
      last_error: "HTTP 500",
      completed_at: t.clock.now().toISOString(),
    })
    .where("endpoint_id", "=", endpointId)
    .where("event_id", "=", eventId)
    .execute();
}

function tick(): string {
  t.clock.advance(1000);
  return t.clock.now().toISOString();
}

describe("POST /v1/webhooks/endpoints/{id}/recover", () => {
  it("revives failed deliveries, creates missing ones, leaves the rest, and is idempotent", async () => {
    const org = await newOrg();
    const start = tick();
    const beforeEndpoint = await org.change("before the endpoint existed");
    tick();
    const endpoint = await createEndpoint(org.key, { events: ["lead.additionalInfo.updated"] });
    const failed = await org.change("failed");
    const succeeded = await org.change("succeeded");
    const pending = await org.change("pending");
    await settle(endpoint, failed, "failed");
    await settle(endpoint, succeeded, "succeeded");
    const untouched = await Promise.all([delivery(endpoint, succeeded), delivery(endpoint, pending)]);

    const now = tick();
    const res = await recover(org.key, endpoint, { since: start });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ recovered: 2 });

    expect(await delivery(endpoint, failed)).toMatchObject({
      status: "pending",
      attempts: 8,
      next_attempt_at: now,
      locked_by: null,
      locked_until: null,
      last_error: "HTTP 500",
      completed_at: null,
      updated_at: now,
    });
    expect(await delivery(endpoint, beforeEndpoint)).toMatchObject({
      org_id: expect.any(String),
      event_type: "lead.additionalInfo.updated",
      status: "pending",
      attempts: 0,
      next_attempt_at: now,
    });
    expect(await Promise.all([delivery(endpoint, succeeded), delivery(endpoint, pending)])).toEqual(
      untouched,
    );
    expect(await deliveries(endpoint)).toHaveLength(4);

    expect((await recover(org.key, endpoint, { since: start })).body).toEqual({ recovered: 0 });
    expect(await deliveries(endpoint)).toHaveLength(4);
  });

  it("replays only the window [since, until) and only what the filter takes", async () => {
    const org = await newOrg();
    const endpoint = await createEndpoint(org.key, { events: ["lead.additionalInfo.updated"] });
    const optOutOnly = await createEndpoint(org.key, { events: ["optOut"] });
    const t1 = tick();
    const first = await org.change("1");
    const t2 = tick();
    const second = await org.change("2");
    tick();
    const third = await org.change("3");
    for (const id of [first, second, third]) await settle(endpoint, id, "failed");

    expect((await recover(org.key, endpoint, { since: t1, until: t2 })).body).toEqual({ recovered: 1 });
    expect((await delivery(endpoint, first))?.status).toBe("pending");
    expect((await delivery(endpoint, second))?.status).toBe("failed");
    expect((await recover(org.key, endpoint, { since: t2 })).body).toEqual({ recovered: 2 });
    expect((await delivery(endpoint, third))?.status).toBe("pending");

    expect((await recover(org.key, optOutOnly, { since: t1 })).body).toEqual({ recovered: 0 });
    expect(await deliveries(optOutOnly)).toEqual([]);
  });

  it("never replays test samples or another org's events", async () => {
    const org = await newOrg();
    const other = await newOrg();
    const since = tick();
    const endpoint = await createEndpoint(org.key);
    const orgId = (
      await t.app.database.db
        .selectFrom("webhook_endpoints")
        .select("org_id")
        .where("id", "=", endpoint)
        .executeTakeFirstOrThrow()
    ).org_id;
    const at = tick();
    await t.app.database.db
      .insertInto("events")
      .values({
        id: newEventId(),
        org_id: orgId,
        type: "message.sent",
        lead_id: null,
        body: "{}",
        occurred_at: at,
        created_at: at,
        is_test: 1,
      })
      .execute();
    await other.change("elsewhere");
    expect((await recover(org.key, endpoint, { since })).body).toEqual({ recovered: 0 });
    expect(await deliveries(endpoint)).toEqual([]);
  });

  it("walks a large window in chunks", async () => {
    const org = await newOrg();
    const endpoint = await createEndpoint(org.key, { events: ["message.sent"] });
    const orgId = (
      await t.app.database.db
        .selectFrom("webhook_endpoints")
        .select("org_id")
        .where("id", "=", endpoint)
        .executeTakeFirstOrThrow()
    ).org_id;
    const since = tick();
    // Many events share a timestamp, so the keyset must also order by id to miss none.
    const rows = Array.from({ length: 1203 }, (_, i) => {
      const at = new Date(t.clock.now().getTime() + Math.floor(i / 7) * 1000).toISOString();
      return {
        id: newEventId(),
        org_id: orgId,
        type: "message.sent",
        lead_id: null,
        body: "{}",
        occurred_at: at,
        created_at: at,
      };
    });
    for (let i = 0; i < rows.length; i += 400) {
      await t.app.database.db
        .insertInto("events")
        .values(rows.slice(i, i + 400))
        .execute();
    }
    expect((await recover(org.key, endpoint, { since })).body).toEqual({ recovered: 1203 });
    const stored = await deliveries(endpoint);
    expect(new Set(stored.map((d) => d.event_id))).toEqual(new Set(rows.map((r) => r.id)));
    expect((await recover(org.key, endpoint, { since })).body).toEqual({ recovered: 0 });
  });

  it("refuses a disabled endpoint with 409 and changes nothing", async () => {
    const org = await newOrg();
    const since = tick();
    const endpoint = await createEndpoint(org.key);
    const failed = await org.change("x");
    await settle(endpoint, failed, "failed");
    await t.request("PATCH", `/v1/webhooks/endpoints/${endpoint}`, {
      key: org.key,
      body: { enabled: false },
    });
    const res = await recover<ErrorBody>(org.key, endpoint, { since });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain("enable it first");
    expect((await delivery(endpoint, failed))?.status).toBe("failed");
  });

  it.each([
    ["since", {}],
    ["since", { since: "yesterday" }],
    ["until", { since: "2024-01-15T00:00:00Z", until: "2024-01-14T00:00:00Z" }],
    ["until", { since: "2024-01-15T00:00:00Z", until: "2024-01-15T00:00:00Z" }],
    ["status", { since: "2024-01-15T00:00:00Z", status: "failed" }],
  ])("answers 400 naming %s", async (path, body) => {
    const org = await newOrg();
    const endpoint = await createEndpoint(org.key);
    const res = await recover<ErrorBody>(org.key, endpoint, body);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.path)).toContain(path);
  });

  it("re-enabling counts as missed only events without a succeeded delivery", async () => {
    const org = await newOrg();
    const endpoint = await createEndpoint(org.key, { events: ["lead.additionalInfo.updated"] });
    const disabledAt = tick();
    await t.request("PATCH", `/v1/webhooks/endpoints/${endpoint}`, {
      key: org.key,
      body: { enabled: false },
    });
    tick();
    await org.change("a");
    await org.change("b");
    await org.change("c");
    const on = await t.request("PATCH", `/v1/webhooks/endpoints/${endpoint}`, {
      key: org.key,
      body: { enabled: true },
    });
    expect(on.body).toMatchObject({ missed: { since: disabledAt, events: 3 } });
    expect((await recover(org.key, endpoint, { since: disabledAt })).body).toEqual({ recovered: 3 });

    const [delivered] = await deliveries(endpoint);
    if (delivered === undefined) throw new Error("expected deliveries");
    await settle(endpoint, delivered.event_id, "succeeded");
    // Back to the state "disabled since disabledAt" to ask the question again.
    await t.app.database.db
      .updateTable("webhook_endpoints")
      .set({ enabled: 0, disabled_reason: "manual", disabled_at: disabledAt })
      .where("id", "=", endpoint)
      .execute();
    const again = await t.request("PATCH", `/v1/webhooks/endpoints/${endpoint}`, {
      key: org.key,
      body: { enabled: true },
    });
    expect(again.body).toMatchObject({ missed: { since: disabledAt, events: 2 } });
  });
});
