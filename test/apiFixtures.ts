import type { CreateLeadResponse } from "../src/http/routes/leads/createLead.js";
import type { CreateOrgResponse } from "../src/http/routes/orgs/createOrg.js";
import type { TestClient } from "./client.js";

/** Rows made through the API itself, for tests whose subject is something else. */

export interface Org {
  id: string;
  key: string;
}

/** POST /v1/orgs (the client's key must be an admin's); the new org's id and first key. */
export async function createOrg(client: TestClient, name: string): Promise<Org> {
  const res = await client.post<CreateOrgResponse>("/v1/orgs", { name });
  if (res.status !== 201) throw new Error(`could not create org ${name}: ${res.status} ${res.text}`);
  return { id: res.body.id, key: res.body.apiKey.key };
}

/** POST /v1/leads/create with `body` as the org of `key`; the new lead's id (throws unless 200). */
export async function createLead(
  client: TestClient,
  key: string,
  body: Record<string, unknown>,
): Promise<string> {
  const res = await client.post<CreateLeadResponse>("/v1/leads/create", body, { key });
  if (res.status !== 200) throw new Error(`could not create the lead: ${res.status} ${res.text}`);
  return res.body.id;
}
