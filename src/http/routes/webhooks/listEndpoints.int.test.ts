import { describe, expect, it } from "vitest";
import { createEndpoint } from "../../../../test/endpointFixtures.js";
import { testAppForFile } from "../../../../test/harness.js";
import type { ListEndpointsResponse } from "./listEndpoints.js";

const t = testAppForFile();

describe("GET /v1/webhooks/endpoints", () => {
  it("lists endpoints oldest first", async () => {
    const other = await t.newOrg();
    t.clock.advance(1000);
    const first = await createEndpoint(t, other, { description: "first" });
    t.clock.advance(1000);
    const second = await createEndpoint(t, other, { description: "second" });
    const listed = await t.get<ListEndpointsResponse>("/v1/webhooks/endpoints", { key: other });
    const ids = listed.body.endpoints.map((e) => e.id);
    expect(ids).toEqual([first.id, second.id]);
  });
});
