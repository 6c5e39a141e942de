import { describe, expect, it } from "vitest";
import type { Org } from "../../../../test/apiFixtures.js";
import {
  type DeliveryRow,
  deliveryId,
  deliveryLogForFile,
  hexId,
  seedDelivery,
  seedEvent,
  TIE,
  viewOf,
} from "../../../../test/deliveryLog.js";
import { testAppForFile } from "../../../../test/harness.js";
import { encodePosition } from "../../../domain/pagination.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { ListDeliveriesResponse } from "./listDeliveries.js";

const t = testAppForFile();
const log = deliveryLogForFile(t);

async function list(org: Org, query: string): Promise<ListDeliveriesResponse> {
  const res = await t.get<ListDeliveriesResponse>(`/v1/webhooks/deliveries${query}`, { key: org.key });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function listAll(org: Org, query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let token: string | null = null;
  let pages = 0;
  do {
    const tokenPart: string = token === null ? "" : `&nextToken=${encodeURIComponent(token)}`;
    const page = await list(org, `?limit=${limit}${query}${tokenPart}`);
    ids.push(...page.deliveries.map((d) => d.id));
    token = page.nextToken;
    pages++;
  } while (token !== null && pages < 100);
  return { ids, pages };
}

const idsOf = (rows: DeliveryRow[]) => rows.map((row) => row.id);
const expectedA = (keep: (row: DeliveryRow) => boolean) => idsOf(log().seededA.filter(keep));

describe("GET /v1/webhooks/deliveries", () => {
  it("lists newest first, ties on created_at by id descending, each delivery exactly once", async () => {
    expect(idsOf(log().seededA)).toEqual([7, 6, 5, 4, 3, 2, 1].map(deliveryId));
    for (const limit of [1, 2, 3, 5, 7, 1000]) {
      const { ids, pages } = await listAll(log().orgA, "", limit);
      expect(ids).toEqual(idsOf(log().seededA));
      expect(pages).toBe(Math.ceil(log().seededA.length / limit));
    }
  });

  it("keeps a walk stable while newer deliveries arrive", async () => {
    const first = await list(log().orgA, "?limit=3");
    await seedEvent(t, log().orgA, 9, "message.sent", "2024-01-15T14:00:00.000Z");
    const newer = await seedDelivery(t, log().orgA, {
      id: deliveryId(900),
      endpoint_id: "whe_a1",
      event_id: hexId(9),
      event_type: "message.sent",
      created_at: "2024-01-15T14:00:00.000Z",
    });
    try {
      const rest = await list(
        log().orgA,
        `?limit=1000&nextToken=${encodeURIComponent(first.nextToken ?? "")}`,
      );
      expect([...first.deliveries, ...rest.deliveries].map((d) => d.id)).toEqual(idsOf(log().seededA));
      expect((await list(log().orgA, "?limit=1")).deliveries.map((d) => d.id)).toEqual([newer.id]);
    } finally {
      await t.app.database.db.deleteFrom("webhook_deliveries").where("id", "=", newer.id).execute();
    }
  });

  it("shows every field of a delivery", async () => {
    const { deliveries } = await list(log().orgA, "?limit=1000");
    expect(deliveries).toEqual(log().seededA.map(viewOf));
    expect(deliveries.find((d) => d.id === deliveryId(6))).toEqual({
      id: deliveryId(6),
      endpointId: "whe_a1",
      eventId: hexId(3),
      eventType: "leadTagged",
      status: "failed",
      attempts: 8,
      nextAttemptAt: null,
      lastStatusCode: 500,
      lastError: "HTTP 500",
      createdAt: "2024-01-15T11:00:00.000Z",
      updatedAt: "2024-01-15T12:00:00.000Z",
      completedAt: "2024-01-15T12:00:00.000Z",
    });
  });

  it("filters by endpoint", async () => {
    expect((await listAll(log().orgA, "&endpointId=whe_a1", 1)).ids).toEqual(
      expectedA((row) => row.endpoint_id === "whe_a1"),
    );
    expect((await list(log().orgA, "?endpointId=whe_unknown")).deliveries).toEqual([]);
  });

  it("filters by event", async () => {
    expect((await listAll(log().orgA, `&eventId=${hexId(1)}`, 2)).ids).toEqual([5, 3, 1].map(deliveryId));
  });

  it("filters by event type", async () => {
    expect((await list(log().orgA, "?eventType=leadTagged")).deliveries.map((d) => d.id)).toEqual(
      [7, 6].map(deliveryId),
    );
    expect((await listAll(log().orgA, "&eventType=message.sent", 2)).ids).toEqual(
      expectedA((row) => row.event_type === "message.sent"),
    );
    expect((await list(log().orgA, "?eventType=optOut")).deliveries).toEqual([]);
  });

  it("filters by status", async () => {
    const ids = async (status: string) =>
      (await list(log().orgA, `?status=${status}`)).deliveries.map((d) => d.id);
    expect(await ids("failed")).toEqual([deliveryId(6)]);
    expect(await ids("succeeded")).toEqual([deliveryId(2)]);
    expect(await ids("pending")).toEqual([7, 5, 4, 3, 1].map(deliveryId));
  });

  it("filters by time: since inclusive, until exclusive", async () => {
    expect((await list(log().orgA, "?since=2024-01-15T11:00:00Z")).deliveries.map((d) => d.id)).toEqual(
      [7, 6].map(deliveryId),
    );
    expect((await listAll(log().orgA, "&until=2024-01-15T11:00:00Z", 2)).ids).toEqual(
      [5, 4, 3, 2, 1].map(deliveryId),
    );
    const offset = encodeURIComponent("2024-01-15T05:00:00-05:00");
    expect(
      (await list(log().orgA, `?since=${offset}&until=2024-01-15T10:00:00.001Z`)).deliveries,
    ).toHaveLength(5);
  });

  it("combines filters", async () => {
    const page = await list(log().orgA, `?endpointId=whe_a1&eventType=message.sent&status=pending`);
    expect(page.deliveries.map((d) => d.id)).toEqual([deliveryId(3)]);
  });

  it("keeps orgs apart", async () => {
    const { orgA, orgB } = log();
    expect((await list(orgB, "?limit=1000")).deliveries.map((d) => d.id)).toEqual([deliveryId(100)]);
    expect((await list(orgB, "?endpointId=whe_a1")).deliveries).toEqual([]);
    expect((await list(orgA, "?endpointId=whe_b1")).deliveries).toEqual([]);
    const first = await list(orgA, "?limit=1");
    const resumed = await list(orgB, `?nextToken=${encodeURIComponent(first.nextToken ?? "")}`);
    expect(resumed.deliveries.map((d) => d.id)).toEqual([deliveryId(100)]);
  });

  it.each([
    ["endpointId", "?endpointId="],
    ["eventId", "?eventId=123"],
    ["eventId", `?eventId=${"A".repeat(32)}`],
    ["eventId", `?eventId=${"g".repeat(32)}`],
    ["eventType", "?eventType=message.snet"],
    ["status", "?status=done"],
    ["since", "?since=yesterday"],
    ["until", "?until=2024-01-15"],
    ["until", "?since=2024-01-15T12:00:00Z&until=2024-01-15T12:00:00Z"],
    ["limit", "?limit=0"],
    ["limit", "?limit=1001"],
    ["nextToken", "?nextToken=not-a-token"],
    // A token of the (ascending) event log must not resume this descending listing.
    ["nextToken", `?nextToken=${encodePosition("events", { t: TIE, id: hexId(1) })}`],
    ["bogus", "?bogus=1"],
  ])("refuses a bad %s with 400 naming it (%s)", async (field, query) => {
    const res = await t.get<ErrorBody>(`/v1/webhooks/deliveries${query}`, { key: log().orgA.key });
    expect(res.status, res.text).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
    expect(res.body.details.map((d) => d.path)).toContain(field);
  });

  it("refuses a missing key with 403", async () => {
    expect((await t.get("/v1/webhooks/deliveries", { key: null })).status).toBe(403);
  });
});
