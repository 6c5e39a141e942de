import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { CreateTagResponse } from "./createTag.js";
import type { ListTagsResponse } from "./listTags.js";
import type { TagView } from "./tagSchemas.js";

let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
});
afterAll(() => t.close());

async function listTags(withKey = key): Promise<TagView[]> {
  const res = await t.get<ListTagsResponse>("/v1/tags", { key: withKey });
  expect(res.status).toBe(200);
  return res.body.tags;
}

async function createTag(body: Record<string, unknown>, withKey = key): Promise<TagView> {
  const res = await t.post<CreateTagResponse>("/v1/tags", body, { key: withKey });
  expect(res.status).toBe(201);
  return res.body;
}

async function builtIn(name: string, withKey = key): Promise<TagView> {
  const tag = (await listTags(withKey)).find((candidate) => candidate.name === name);
  if (tag === undefined) throw new Error(`no built-in tag ${name}`);
  return tag;
}

describe("GET /v1/tags", () => {
  it("lists the built-in tags of a new org, ordered by name, as not manual", async () => {
    const fresh = await t.newOrg();
    expect(await listTags(fresh)).toEqual([
      {
        id: expect.stringMatching(/^tag_[0-9a-f]{32}$/),
        name: "hasReplied",
        color: null,
        condition: "The lead has replied at least once.",
        isManual: false,
      },
      {
        id: expect.stringMatching(/^tag_/),
        name: "isHot",
        color: null,
        condition: "The lead shows strong buying intent.",
        isManual: false,
      },
      {
        id: expect.stringMatching(/^tag_/),
        name: "isQualified",
        color: null,
        condition: "The lead meets the qualification criteria.",
        isManual: false,
      },
    ]);
  });

  it("orders created tags among built-in ones by name and omits a null condition", async () => {
    const fresh = await t.newOrg();
    await createTag({ name: "jumbo" }, fresh);
    await createTag({ name: "alpha", color: "#00AA11", condition: "Asked for a demo" }, fresh);
    const tags = await listTags(fresh);
    expect(tags.map((tag) => tag.name)).toEqual(["alpha", "hasReplied", "isHot", "isQualified", "jumbo"]);
    expect(tags[0]).toEqual({
      id: expect.any(String),
      name: "alpha",
      color: "#00aa11",
      condition: "Asked for a demo",
      isManual: true,
    });
    const jumbo = tags[4];
    expect(jumbo).toEqual({ id: expect.any(String), name: "jumbo", color: null, isManual: true });
    expect(jumbo !== undefined && "condition" in jumbo).toBe(false);
  });
});

describe("POST /v1/tags", () => {
  it("creates a manual tag with a trimmed name", async () => {
    const res = await t.request("POST", "/v1/tags", {
      key,
      body: { name: "  VIP  ", color: "#ff8800", condition: "Spends a lot" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^tag_[0-9a-f]{32}$/),
      name: "VIP",
      color: "#ff8800",
      condition: "Spends a lot",
      isManual: true,
    });
    expect((await listTags()).some((tag) => tag.name === "VIP")).toBe(true);
  });

  it("refuses a duplicate name with 409 naming name", async () => {
    await createTag({ name: "Duplicate" });
    const res = await t.request("POST", "/v1/tags", { key, body: { name: "Duplicate" } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      message: 'A tag named "Duplicate" already exists.',
      code: "CONFLICT",
      details: [{ path: "name", message: "already taken" }],
    });
  });

  it("refuses a built-in tag's name", async () => {
    const res = await t.request("POST", "/v1/tags", { key, body: { name: "isHot" } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "CONFLICT", details: [{ path: "name" }] });
  });

  it.each([
    [{}, "name"],
    [{ name: "   " }, "name"],
    [{ name: "x".repeat(101) }, "name"],
    [{ name: 42 }, "name"],
    [{ name: "ok", color: "orange" }, "color"],
    [{ name: "ok", color: "#ff880" }, "color"],
    [{ name: "ok", condition: "c".repeat(501) }, "condition"],
    [{ name: "ok", isManual: false }, "isManual"],
  ])("refuses %j with 400 naming %s", async (body, path) => {
    const res = await t.post<ErrorBody>("/v1/tags", body, { key });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(res.body.details.map((d) => d.path)).toEqual([path]);
  });

  it("accepts a 100-character name and a 500-character condition", async () => {
    const tag = await createTag({ name: "n".repeat(100), condition: "c".repeat(500) });
    expect(tag.name).toHaveLength(100);
    expect(tag.condition).toHaveLength(500);
  });

  it("allows the same name in another org", async () => {
    await createTag({ name: "Shared" });
    const other = await t.newOrg();
    await createTag({ name: "Shared" }, other);
  });
});

describe("PATCH /v1/tags/{tagId}", () => {
  it("updates the given fields and clears color and condition with null", async () => {
    const tag = await createTag({ name: "Warm", color: "#111111", condition: "Replied twice" });
    const renamed = await t.request("PATCH", `/v1/tags/${tag.id}`, { key, body: { name: "Warmer" } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({
      id: tag.id,
      name: "Warmer",
      color: "#111111",
      condition: "Replied twice",
      isManual: true,
    });
    const cleared = await t.request("PATCH", `/v1/tags/${tag.id}`, {
      key,
      body: { color: null, condition: null },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toEqual({ id: tag.id, name: "Warmer", color: null, isManual: true });
    expect((await listTags()).find((candidate) => candidate.id === tag.id)).toEqual(cleared.body);
  });

  it("refuses renaming onto another tag's name with 409", async () => {
    await createTag({ name: "Taken" });
    const tag = await createTag({ name: "Free" });
    const res = await t.request("PATCH", `/v1/tags/${tag.id}`, { key, body: { name: "Taken" } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: "CONFLICT",
      details: [{ path: "name", message: "already taken" }],
    });
    expect((await listTags()).find((candidate) => candidate.id === tag.id)?.name).toBe("Free");
  });

  it("refuses renaming a built-in tag but lets its color and condition change", async () => {
    const isHot = await builtIn("isHot");
    const rename = await t.request("PATCH", `/v1/tags/${isHot.id}`, { key, body: { name: "isWarm" } });
    expect(rename.status).toBe(409);
    expect(rename.body).toEqual({
      message: "Built-in tags cannot be renamed.",
      code: "CONFLICT",
      details: [],
    });

    const recolor = await t.request("PATCH", `/v1/tags/${isHot.id}`, {
      key,
      body: { name: "isHot", color: "#ff0000", condition: "Wants to buy now" },
    });
    expect(recolor.status).toBe(200);
    expect(recolor.body).toEqual({
      id: isHot.id,
      name: "isHot",
      color: "#ff0000",
      condition: "Wants to buy now",
      isManual: false,
    });
  });

  it("refuses invalid fields with 400 naming them", async () => {
    const tag = await createTag({ name: "Patchable" });
    const res = await t.patch<ErrorBody>(`/v1/tags/${tag.id}`, { name: "", color: "red", extra: 1 }, { key });
    expect(res.status).toBe(400);
    const paths = res.body.details.map((d) => d.path).sort();
    expect(paths).toEqual(["color", "extra", "name"]);
  });

  it("answers 404 for an unknown tag and for another org's tag", async () => {
    const unknown = await t.request("PATCH", "/v1/tags/tag_nope", { key, body: { name: "x" } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: "NOT_FOUND", message: "Tag not found." });

    const other = await t.newOrg();
    const foreign = await createTag({ name: "Theirs" }, other);
    const res = await t.request("PATCH", `/v1/tags/${foreign.id}`, { key, body: { name: "Mine" } });
    expect(res.status).toBe(404);
    expect((await listTags(other)).find((tag) => tag.id === foreign.id)?.name).toBe("Theirs");
  });
});

describe("DELETE /v1/tags/{tagId}", () => {
  it("deletes a tag and removes it from the leads that carried it", async () => {
    const profile = await t.request("POST", "/v1/profiles", { key, body: { name: "P" } });
    expect(profile.status).toBe(201);
    const leadId = await createLead(t, key, {
      firstName: "Ada",
      lastName: "Lovelace",
      phone: "+12025550101",
      customerProfile: "P",
    });
    const gone = await createTag({ name: "Gone" });
    const kept = await createTag({ name: "Kept" });
    const put = await t.request("PUT", `/v1/leads/${leadId}/tags`, {
      key,
      body: { tagIds: [gone.id, kept.id] },
    });
    expect(put.status).toBe(200);
    t.clock.advance(60_000);

    const res = await t.request("DELETE", `/v1/tags/${gone.id}`, { key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: "Tag deleted successfully." });
    expect((await listTags()).some((tag) => tag.id === gone.id)).toBe(false);

    const lead = await t.request("GET", `/v1/leads/${leadId}`, { key });
    expect(lead.body).toMatchObject({
      tags: [{ id: kept.id, name: "Kept", condition: null }],
      updatedAt: t.clock.now().toISOString(),
    });
    expect((await t.request("DELETE", `/v1/tags/${gone.id}`, { key })).status).toBe(404);
  });

  it("refuses deleting a built-in tag with 409", async () => {
    const hasReplied = await builtIn("hasReplied");
    const res = await t.request("DELETE", `/v1/tags/${hasReplied.id}`, { key });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ message: "Built-in tags cannot be deleted.", code: "CONFLICT", details: [] });
    expect((await listTags()).some((tag) => tag.id === hasReplied.id)).toBe(true);
  });

  it("answers 404 for another org's tag and leaves it alone", async () => {
    const other = await t.newOrg();
    const foreign = await createTag({ name: "Untouchable" }, other);
    const res = await t.request("DELETE", `/v1/tags/${foreign.id}`, { key });
    expect(res.status).toBe(404);
    expect((await listTags(other)).some((tag) => tag.id === foreign.id)).toBe(true);
    expect((await listTags()).some((tag) => tag.id === foreign.id)).toBe(false);
  });
});

describe("auth", () => {
  it("refuses a missing key with 403", async () => {
    expect((await t.request("GET", "/v1/tags", { key: null })).status).toBe(403);
    expect((await t.request("POST", "/v1/tags", { key: null, body: { name: "x" } })).status).toBe(403);
  });
});
