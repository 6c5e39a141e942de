import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import type { ErrorBody } from "../../errorHandler.js";

let t: TestApp;
let key: string;
let leadId: string;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  await t.request("POST", "/v1/profiles", {
    key,
    body: { name: "P", emailEnabled: true, followUpConfig: { "1": { hours: 1, channel: "text" } } },
  });
  leadId = await createLead(t, key, {
    firstName: "A",
    lastName: "B",
    phone: "+12025550100",
    customerProfile: "P",
  });
});
afterAll(() => t.close());

/** Values that are sometimes right, often wrong in type or shape: what real integrations send. */
const anything = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "+1 (202) 555-0189",
    "+44 20 7946 0958",
    "12345",
    "+999",
    "",
    "America/New_York",
    "Mars/Base",
    "a@b.co",
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.constant(null)), {
    maxKeys: 4,
  }),
);

const followUpConfig = fc.oneof(
  anything,
  fc.dictionary(
    fc.constantFrom("1", "2", "3", "0", "x"),
    fc.record(
      {
        hours: fc.oneof(fc.double(), fc.integer(), fc.string()),
        channel: fc.constantFrom("text", "email", "call", "fax"),
      },
      { requiredKeys: [] },
    ),
    { maxKeys: 3 },
  ),
);

const createBody = fc.record(
  {
    firstName: anything,
    lastName: anything,
    phone: anything,
    customerProfile: fc.oneof(fc.constant("P"), anything),
    timeZone: anything,
    email: anything,
    additionalInfo: anything,
    externalLeadId: anything,
    unknownField: anything,
  },
  { requiredKeys: [] },
);

const patchBody = fc.record(
  {
    firstName: anything,
    email: anything,
    timeZone: anything,
    isAiOn: anything,
    additionalInfo: anything,
    followUpConfig,
    followUpStep: fc.oneof(fc.integer({ min: -3, max: 4 }), anything),
    externalLeadId: anything,
  },
  { requiredKeys: [] },
);

describe("property: lead bodies never cause a 500", () => {
  it("POST /v1/leads/create answers 200, 400 or 409 for any body", async () => {
    await fc.assert(
      fc.asyncProperty(createBody, async (body) => {
        const res = await t.post<ErrorBody>("/v1/leads/create", body, { key });
        expect([200, 400, 409]).toContain(res.status);
        if (res.status === 400) {
          expect(res.body.details.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("PATCH /v1/leads/{id} answers 200 or 400 for any body, and a 400 changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(patchBody, async (body) => {
        const before = await t.request("GET", `/v1/leads/${leadId}`, { key });
        const res = await t.request("PATCH", `/v1/leads/${leadId}`, { key, body });
        expect([200, 400]).toContain(res.status);
        if (res.status === 400) {
          const after = await t.request("GET", `/v1/leads/${leadId}`, { key });
          expect(after.body).toEqual(before.body);
        }
      }),
      { numRuns: 300 },
    );
  });
});
