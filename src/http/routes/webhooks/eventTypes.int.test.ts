import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventSchemaByType } from "../../../../test/eventSchemas.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import { EVENT_TYPES } from "../../../domain/events/catalog.js";
import { eventTypeCatalogue } from "../../../domain/events/samples.js";
import type { ListEventTypesResponse } from "./listEventTypes.js";

let t: TestApp;
let entries: ListEventTypesResponse["eventTypes"];

beforeAll(async () => {
  t = await startTestApp();
  const res = await t.get<ListEventTypesResponse>("/v1/webhooks/event-types", { key: await t.newOrg() });
  expect(res.status, res.text).toBe(200);
  entries = res.body.eventTypes;
});
afterAll(() => t.close());

describe("GET /v1/webhooks/event-types", () => {
  it("lists every event type of the catalogue, once, in its order", () => {
    expect(entries.map((entry) => entry.type)).toEqual([...EVENT_TYPES]);
    expect(Object.keys(eventSchemaByType).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it("describes each type in one line", () => {
    for (const { type, description } of entries) {
      expect(description, type).toMatch(/^\S[^\n]{10,200}$/);
    }
  });

  it("gives a sample of each type that validates against the strict schema of that type", () => {
    for (const { type, sample } of entries) {
      expect(sample.event, type).toBe(type);
      const parsed = eventSchemaByType[type].safeParse(sample);
      expect(parsed.error?.issues ?? [], type).toEqual([]);
    }
  });

  it("serves each sample byte for byte as a receiver would get it", () => {
    const bodies = eventTypeCatalogue().map((entry) => entry.sample);
    expect(entries.map((entry) => JSON.stringify(entry.sample))).toEqual(bodies);
  });

  it("shows the optional keys receivers must handle: a CRM id, an email subject, an eventId", () => {
    const byType = new Map(entries.map((entry) => [entry.type, entry.sample]));
    expect(byType.get("message.sent")?.data).toMatchObject({
      externalLeadId: expect.any(String),
      content: { subject: expect.any(String), text: expect.any(String) },
    });
    expect(byType.get("lead.additionalInfo.updated")).toMatchObject({
      eventId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it("needs a key", async () => {
    const res = await t.request("GET", "/v1/webhooks/event-types", { key: null });
    expect(res.status).toBe(403);
  });
});
