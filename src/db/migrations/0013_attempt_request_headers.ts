import type { Kysely } from "kysely";

/**
 * The request headers each webhook attempt carried (content type, user agent, webhook-id,
 * webhook-timestamp and both signature families), as a JSON object of strings, so the portal can
 * show what a receiver got. The signatures are HMACs of the body, not secrets. Attempts made
 * before this migration keep null: what they sent was not kept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("webhook_attempts").addColumn("request_headers", "text").execute();
}
