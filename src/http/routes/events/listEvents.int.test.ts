import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead, createOrg, type Org } from "../../../../test/apiFixtures.js";
import { parseEventBody } from "../../../../test/eventSchemas.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import {
  type EventDataByType,
  type EventType,
  leadTaggedData,
  messageSentData,
  optOutData,
  serializeEnvelope,
} from "../../../domain/events/catalog.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { ListEventsResponse } from "./listEvents.js";

type EventView = ListEventsResponse["events"][number];

let t: TestApp;
let orgA: Org;
let orgB: Org;
/** Every event seeded for org A, with its stored body, in the order the listing must return. */
const seededA: { id: string; type: EventType; createdAt: string; body: string }[] = [];

const TIE = "2024-01-15T10:00:00.000Z";
const LEAD_A = "0190f5a8-0000-7000-8000-00000000000a";
const lead = { leadId: LEAD_A, externalLeadId: "003XX000004DHPY", phone: "+12025550189" };

const hexId = (n: number) => n.toString(16).padStart(32, "0");

async function seed<T extends EventType>(
  org: Org,
  event: { id: string; type: T; data: EventDataByType[T]; createdAt: string; leadId?: string | null },
): Promise<string> {
  const body = serializeEnvelope(event.type, event.id, event.data, new Date(event.createdAt));
  await t.app.database.db
    .insertInto("events")
    .values({
      id: event.id,
      org_id: org.id,
      type: event.type,
      lead_id: event.leadId === undefined ? LEAD_A : event.leadId,
      body,
      occurred_at: event.createdAt,
      created_at: event.createdAt,
    })
    .execute();
  return body;
}

async function list(org: Org, query: string): Promise<ListEventsResponse> {
  const res = await t.get<ListEventsResponse>(`/v1/events${query}`, { key: org.key });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function listAll(
  org: Org,
  query: string,
  limit: number,
): Promise<{ events: EventView[]; pages: number }> {
  const events: EventView[] = [];
  let token: string | null = null;
  let pages = 0;
  do {
    const separator = query === "" ? "?" : "&";
    const tokenPart: string = token === null ? "" : `&nextToken=${encodeURIComponent(token)}`;
    const page = await list(org, `${query}${separator}limit=${limit}${tokenPart}`);
    events.push(...page.events);
    token = page.nextToken;
    pages++;
  } while (token !== null && pages < 100);
  return { events, pages };
}

const sms = (text: string) =>
  messageSentData({ lead, channel: "sms", profile: "Default Profile", followUpStep: null, text });

beforeAll(async () => {
  t = await startTestApp();
  orgA = await createOrg(t, "Org A");
  orgB = await createOrg(t, "Org B");

  // Ties on created_at, inserted out of id order, so only the id tie-break can order them.
  for (const n of [3, 1, 5, 2, 4]) {
    const id = hexId(n);
    seededA.push({
      id,
      type: "message.sent",
      createdAt: TIE,
      body: await seed(orgA, { id, type: "message.sent", data: sms(`tie ${n}`), createdAt: TIE }),
    });
  }
  const later = [
    { n: 6, type: "optOut", createdAt: "2024-01-15T11:00:00.000Z" },
    { n: 7, type: "leadTagged", createdAt: "2024-01-15T12:00:00.000Z" },
    { n: 8, type: "message.sent", createdAt: "2024-01-15T13:00:00.000Z" },
  ] as const;
  for (const { n, type, createdAt } of later) {
    const id = hexId(n);
    const body =
      type === "optOut"
        ? await seed(orgA, {
            id,
            type,
            createdAt,
            data: optOutData({
              lead,
              channel: "sms",
              optOutReason: null,
              isTwilioOptOut: true,
              optOutMessage: "STOP 🛑",
              isDoNotContact: false,
            }),
          })
        : type === "leadTagged"
          ? await seed(orgA, {
              id,
              type,
              createdAt,
              data: leadTaggedData({ lead, channel: "manual", tag: "isHot" }),
            })
          : await seed(orgA, { id, type, createdAt, data: sms("Olá, 你好 👋") });
    seededA.push({ id, type, createdAt, body });
  }
  seededA.sort((a, b) =>
    a.createdAt === b.createdAt ? a.id.localeCompare(b.id) : a.createdAt.localeCompare(b.createdAt),
  );

  await seed(orgB, {
    id: hexId(100),
    type: "message.sent",
    data: sms("org B"),
    createdAt: TIE,
    leadId: null,
  });
  await seed(orgB, {
    id: hexId(101),
    type: "leadTagged",
    data: leadTaggedData({ lead, channel: "sms", tag: "b" }),
    createdAt: "2024-01-15T12:30:00.000Z",
    leadId: null,
  });
});
afterAll(() => t.close());

describe("GET /v1/events", () => {
  it("pages through ties on created_at by id, returning every event exactly once in order", async () => {
    for (const limit of [1, 2, 3, 5, 8]) {
      const { events, pages } = await listAll(orgA, "", limit);
      expect(events.map((e) => e.id)).toEqual(seededA.map((e) => e.id));
      expect(pages).toBe(Math.ceil(seededA.length / limit));
    }
  });

  it("returns the stored body as payload, byte for byte once re-serialised", async () => {
    const { events } = await list(orgA, "?limit=1000");
    expect(events).toHaveLength(seededA.length);
    for (const [index, event] of events.entries()) {
      const stored = seededA[index];
      expect(stored).toBeDefined();
      expect(event).toMatchObject({
        id: stored?.id,
        type: stored?.type,
        leadId: LEAD_A,
        createdAt: stored?.createdAt,
      });
      expect(JSON.stringify(event.payload)).toBe(stored?.body);
      expect(event.payload).toEqual(JSON.parse(stored?.body ?? "null"));
    }
  });

  it("filters by one or several types", async () => {
    const optOuts = await list(orgA, "?type=optOut");
    expect(optOuts.events.map((e) => e.id)).toEqual([hexId(6)]);
    const several = await list(orgA, `?type=${encodeURIComponent("leadTagged, optOut")}`);
    expect(several.events.map((e) => e.type)).toEqual(["optOut", "leadTagged"]);
    const { events: sent } = await listAll(orgA, "?type=message.sent", 2);
    expect(sent.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 8].map(hexId));
  });

  it("filters by time: since inclusive, until exclusive", async () => {
    const since = await list(orgA, "?since=2024-01-15T11:00:00Z");
    expect(since.events.map((e) => e.id)).toEqual([6, 7, 8].map(hexId));
    const window = await list(orgA, "?since=2024-01-15T10:00:00Z&until=2024-01-15T12:00:00Z");
    expect(window.events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6].map(hexId));
    const offset = await list(
      orgA,
      `?since=${encodeURIComponent("2024-01-15T06:30:00-05:00")}&type=leadTagged`,
    );
    expect(offset.events.map((e) => e.id)).toEqual([hexId(7)]);
    const { events: paged } = await listAll(orgA, "?until=2024-01-15T11:00:00Z", 2);
    expect(paged.map((e) => e.id)).toEqual([1, 2, 3, 4, 5].map(hexId));
  });

  it("filters by lead", async () => {
    expect((await list(orgA, `?leadId=${LEAD_A}&limit=1000`)).events).toHaveLength(seededA.length);
    expect((await list(orgA, "?leadId=someone-else")).events).toEqual([]);
  });

  it("keeps orgs apart: org B sees only its own events", async () => {
    const b = await list(orgB, "?limit=1000");
    expect(b.events.map((e) => e.id)).toEqual([hexId(100), hexId(101)]);
    expect((await list(orgB, `?leadId=${LEAD_A}`)).events).toEqual([]);
    // A token minted for org A resumes nothing of org A's when org B presents it.
    const first = await list(orgA, "?limit=1");
    expect(first.nextToken).not.toBeNull();
    const resumed = await list(orgB, `?nextToken=${encodeURIComponent(first.nextToken ?? "")}`);
    expect(resumed.events.every((e) => e.id === hexId(100) || e.id === hexId(101))).toBe(true);
  });

  it.each([
    ["type", "?type=message.sent,message.snet"],
    ["type", "?type=,"],
    ["since", "?since=yesterday"],
    ["until", "?until=2024-01-15"],
    ["until", "?since=2024-01-15T12:00:00Z&until=2024-01-15T12:00:00Z"],
    ["nextToken", "?nextToken=not-a-token"],
    ["nextToken", `?nextToken=${Buffer.from('{"c":1}').toString("base64url")}`],
    ["limit", "?limit=0"],
    ["bogus", "?bogus=1"],
  ])("refuses a bad %s with 400 naming it (%s)", async (field, query) => {
    const res = await t.get<ErrorBody>(`/v1/events${query}`, { key: orgA.key });
    expect(res.status).toBe(400);
    const body = res.body;
    expect(body.code).toBe("VALIDATION_FAILED");
    expect(body.details.map((d) => d.path)).toContain(field);
  });

  it("refuses a missing key with 403", async () => {
    const res = await t.request("GET", "/v1/events", { key: null });
    expect(res.status).toBe(403);
  });

  it("lists the event a real lead update emitted, with its exact body", async () => {
    expect((await t.request("POST", "/v1/profiles", { key: orgB.key, body: { name: "P" } })).status).toBe(
      201,
    );
    const leadId = await createLead(t, orgB.key, {
      firstName: "Ada",
      lastName: "Lovelace",
      phone: "+12025550189",
      customerProfile: "P",
    });
    const patched = await t.request("PATCH", `/v1/leads/${leadId}`, {
      key: orgB.key,
      body: { additionalInfo: { budget: 5000, note: "café ☕" } },
    });
    expect(patched.status).toBe(200);

    const page = await list(orgB, `?type=lead.additionalInfo.updated&leadId=${leadId}`);
    expect(page.events).toHaveLength(1);
    const [event] = page.events;
    const row = await t.app.database.db
      .selectFrom("events")
      .selectAll()
      .where("id", "=", event?.id ?? "")
      .executeTakeFirstOrThrow();
    expect(row.org_id).toBe(orgB.id);
    expect(event?.payload).toEqual(JSON.parse(row.body));
    expect(JSON.stringify(event?.payload)).toBe(row.body);
    const envelope = parseEventBody("lead.additionalInfo.updated", row.body);
    expect(envelope.eventId).toBe(event?.id);
    expect(envelope.data.additionalInfo).toEqual({
      budget: { old: null, new: 5000 },
      note: { old: null, new: "café ☕" },
    });
    expect((await list(orgA, `?leadId=${leadId}`)).events).toEqual([]);
  });
});
