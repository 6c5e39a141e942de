import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { CreateLeadResponse } from "../leads/createLead.js";
import type { CreateProfileResponse } from "./createProfile.js";
import type { ListProfilesResponse } from "./listProfiles.js";

let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
});
afterAll(() => t.close());

const full = {
  name: "Real Estate Buyers",
  description: "Inbound buyers from Zillow",
  smsEnabled: true,
  emailEnabled: true,
  initialMessage: "Hi {{firstName}}, this is {{aiName}} about {{additionalInfo.listing}}!",
  initialSubject: "Your enquiry",
  followUpConfig: {
    "1": { hours: 24, channel: "text" },
    "2": { hours: 48, channel: "email", strategyIds: "auto" },
  },
  followUpTemplates: {
    "1": { text: "Still interested, {{firstName}}?" },
    "2": { subject: "Following up", text: "Hi {{firstName}} {{lastName}}" },
  },
  nurtureTemplate: { text: "Checking in, {{firstName}}." },
  instructions: "Friendly and brief. Ask when they plan to move.",
  bookingUrl: "https://cal.example.com/acme/intro",
  extract: ["budget", "moveInDate"],
  maxSmsLength: 480,
  initialOutreach: true,
};

describe("profiles API", () => {
  it("creates a profile with every field and reads it back", async () => {
    const res = await t.post<CreateProfileResponse>("/v1/profiles", full, { key });
    expect(res.status).toBe(201);
    const created = res.body;
    expect(created.id).toMatch(/^prf_[0-9a-f]{32}$/);
    const expected = {
      ...full,
      id: created.id,
      voiceEnabled: false,
      createdAt: "2024-01-15T14:30:00.000Z",
      updatedAt: "2024-01-15T14:30:00.000Z",
    };
    expect(res.body).toEqual(expected);
    expect((await t.request("GET", `/v1/profiles/${created.id}`, { key })).body).toEqual(expected);
    const list = await t.get<ListProfilesResponse>("/v1/profiles", { key });
    expect(list.body.profiles).toEqual([expected]);
  });

  it("applies defaults for a minimal profile", async () => {
    const res = await t.request("POST", "/v1/profiles", { key, body: { name: "Minimal" } });
    expect(res.body).toMatchObject({
      name: "Minimal",
      description: null,
      smsEnabled: true,
      emailEnabled: false,
      voiceEnabled: false,
      initialMessage: null,
      followUpConfig: {},
      followUpTemplates: {},
      nurtureTemplate: null,
      instructions: null,
      bookingUrl: null,
      extract: [],
      maxSmsLength: 320,
      initialOutreach: false,
    });
  });

  it.each([
    ["name", { name: "" }],
    ["voiceEnabled", { name: "V", voiceEnabled: true }],
    ["followUpConfig.1.channel", { name: "C", followUpConfig: { "1": { hours: 1, channel: "call" } } }],
    ["followUpConfig.1.channel", { name: "E", followUpConfig: { "1": { hours: 1, channel: "email" } } }],
    ["followUpConfig.2", { name: "G", followUpConfig: { "2": { hours: 1, channel: "text" } } }],
    ["initialMessage", { name: "T", initialMessage: "Hi {{nickname}}" }],
    ["bookingUrl", { name: "B", bookingUrl: "javascript:alert(1)" }],
    ["extract.1", { name: "X", extract: ["budget", "move in date"] }],
    ["maxSmsLength", { name: "M", maxSmsLength: 2000 }],
    ["initialMessage", { name: "T", initialMessage: "Hi {{firstName}" }],
    ["followUpTemplates.3", { name: "S", followUpTemplates: { "3": { text: "x" } } }],
    [
      "followUpTemplates.1.subject",
      {
        name: "S",
        emailEnabled: true,
        followUpConfig: { "1": { hours: 1, channel: "email" } },
        followUpTemplates: { "1": { text: "x" } },
      },
    ],
    ["smsEnabled", { name: "N", smsEnabled: false }],
    ["colour", { name: "X", colour: "red" }],
  ])("answers 400 naming %s and stores nothing", async (path, body) => {
    const before = await t.request("GET", "/v1/profiles", { key });
    const res = await t.post<ErrorBody>("/v1/profiles", body, { key });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.path)).toContain(path);
    expect((await t.request("GET", "/v1/profiles", { key })).body).toEqual(before.body);
  });

  it("refuses a duplicate name with 409, also on rename", async () => {
    await t.request("POST", "/v1/profiles", { key, body: { name: "Dup" } });
    const again = await t.request("POST", "/v1/profiles", { key, body: { name: "Dup" } });
    expect(again.status).toBe(409);
    const other = await t.post<CreateProfileResponse>("/v1/profiles", { name: "Other" }, { key });
    const id = other.body.id;
    const rename = await t.request("PATCH", `/v1/profiles/${id}`, { key, body: { name: "Dup" } });
    expect(rename.status).toBe(409);
  });

  it("PATCH replaces given fields, validates the whole result and bumps updatedAt", async () => {
    const res = await t.post<CreateProfileResponse>("/v1/profiles", { name: "Patchable" }, { key });
    const id = res.body.id;
    t.clock.advance(1000);
    const ok = await t.request("PATCH", `/v1/profiles/${id}`, {
      key,
      body: { description: "now with steps", followUpConfig: { "1": { hours: 2, channel: "text" } } },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      name: "Patchable",
      description: "now with steps",
      followUpConfig: { "1": { hours: 2, channel: "text" } },
      updatedAt: new Date(t.clock.now()).toISOString(),
    });
    const bad = await t.request("PATCH", `/v1/profiles/${id}`, {
      key,
      body: { followUpConfig: { "1": { hours: 2, channel: "email" } } },
    });
    expect(bad.status).toBe(400);
    expect((await t.request("GET", `/v1/profiles/${id}`, { key })).body).toEqual(ok.body);
  });

  it("DELETE refuses a profile live leads use, then deletes it once they are gone", async () => {
    const res = await t.post<CreateProfileResponse>("/v1/profiles", { name: "Used" }, { key });
    const id = res.body.id;
    const lead = await t.post<CreateLeadResponse>(
      "/v1/leads/create",
      { firstName: "A", lastName: "B", phone: "+12025550111", customerProfile: "Used" },
      { key },
    );
    expect((await t.request("DELETE", `/v1/profiles/${id}`, { key })).status).toBe(409);
    await t.request("DELETE", `/v1/leads/${lead.body.id}`, { key });
    expect((await t.request("DELETE", `/v1/profiles/${id}`, { key })).status).toBe(200);
    expect((await t.request("GET", `/v1/profiles/${id}`, { key })).status).toBe(404);
    expect((await t.request("POST", "/v1/profiles", { key, body: { name: "Used" } })).status).toBe(201);
  });

  it("another org cannot see or change the profiles", async () => {
    const res = await t.post<CreateProfileResponse>("/v1/profiles", { name: "Private" }, { key });
    const id = res.body.id;
    const other = await t.newOrg();
    expect((await t.request("GET", `/v1/profiles/${id}`, { key: other })).status).toBe(404);
    expect(
      (await t.request("PATCH", `/v1/profiles/${id}`, { key: other, body: { description: "x" } })).status,
    ).toBe(404);
    expect((await t.request("DELETE", `/v1/profiles/${id}`, { key: other })).status).toBe(404);
    expect((await t.request("GET", "/v1/profiles", { key: other })).body).toEqual({ profiles: [] });
    const lead = await t.request("POST", "/v1/leads/create", {
      key: other,
      body: { firstName: "A", lastName: "B", phone: "+12025550112", customerProfile: "Private" },
    });
    expect(lead.status).toBe(400);
  });
});
