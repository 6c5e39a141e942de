import { hashApiKey } from "../src/domain/orgs/apiKeys.js";
import { newId } from "../src/ids.js";
import { createLead } from "./apiFixtures.js";
import type { TestApp } from "./harness.js";

export const TEST_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/** The org id behind an API key. */
export async function orgIdOf(t: TestApp, key: string): Promise<string> {
  const row = await t.app.database.db
    .selectFrom("api_keys")
    .select("org_id")
    .where("key_hash", "=", hashApiKey(key))
    .executeTakeFirstOrThrow();
  return row.org_id;
}

/** An endpoint row straight in the database (the endpoints API has its own tests). */
export async function insertEndpoint(
  t: TestApp,
  orgId: string,
  url: string,
  options: {
    events?: string[];
    secret?: string;
    maxConcurrency?: number;
    rateLimitPerSecond?: number | null;
  } = {},
): Promise<string> {
  const id = newId("whe");
  const at = t.clock.now().toISOString();
  await t.app.database.db
    .insertInto("webhook_endpoints")
    .values({
      id,
      org_id: orgId,
      url,
      description: null,
      events: JSON.stringify(options.events ?? ["*"]),
      secret: options.secret ?? TEST_SECRET,
      previous_secret: null,
      previous_secret_expires_at: null,
      enabled: 1,
      disabled_reason: null,
      disabled_at: null,
      max_concurrency: options.maxConcurrency ?? 10,
      rate_limit_per_second: options.rateLimitPerSecond ?? null,
      failing_since: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}

/** A lead to hang events on, and a function that emits one event per call (additionalInfo). */
export async function eventSource(t: TestApp, key: string, phone = "+12025550189") {
  await t.request("POST", "/v1/profiles", { key, body: { name: "Webhook Profile" } });
  const leadId = await createLead(t, key, {
    firstName: "Zoë",
    lastName: "Ångström",
    phone,
    customerProfile: "Webhook Profile",
  });
  let n = 0;
  return {
    leadId,
    async emit(value?: unknown): Promise<void> {
      n++;
      const r = await t.request("PATCH", `/v1/leads/${leadId}`, {
        key,
        body: { additionalInfo: { n, value: value ?? n } },
      });
      if (r.status !== 200) throw new Error(`emit failed: ${r.status} ${r.text}`);
    },
  };
}
