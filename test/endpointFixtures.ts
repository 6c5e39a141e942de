import { expect } from "vitest";
import type { CreateEndpointResponse } from "../src/http/routes/webhooks/createEndpoint.js";
import type { TestApp } from "./harness.js";

/** What the webhook endpoint route tests (src/http/routes/webhooks/*Endpoint*.int.test.ts) share. */

/** A public address: accepted without WEBHOOK_ALLOW_PRIVATE_TARGETS, and never called by these tests. */
export const PUBLIC_URL = "https://93.184.216.34/hook";

/** POST /v1/webhooks/endpoints for PUBLIC_URL unless `body` names a url; expects 201. */
export async function createEndpoint(
  t: TestApp,
  key: string,
  body: Record<string, unknown> = {},
): Promise<CreateEndpointResponse> {
  const res = await t.post<CreateEndpointResponse>(
    "/v1/webhooks/endpoints",
    { url: PUBLIC_URL, ...body },
    { key },
  );
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** The endpoint's delivery rows. */
export async function deliveriesOf(t: TestApp, endpointId: string) {
  return t.app.database.db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("endpoint_id", "=", endpointId)
    .execute();
}

/** GET /v1/webhooks/endpoints as text, to compare before and after or to look for a secret. */
export async function listText(t: TestApp, key: string): Promise<string> {
  return (await t.get("/v1/webhooks/endpoints", { key })).text;
}
