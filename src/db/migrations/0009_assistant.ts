import { type Kysely, sql } from "kysely";

/**
 * The assistant: its jobs (reading each inbound message, drafting each message that has no
 * template), notification rules, the profile fields it writes from, and on messages who wrote
 * them, what still awaits a draft and which inbound message a reply answers (once, enforced here).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("assistant_jobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("lead_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("subject_id", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("due_at", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("locked_by", "text")
    .addColumn("locked_until", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  // One job per inbound message read and per message drafted, whoever enqueues it twice.
  await db.schema
    .createIndex("assistant_jobs_subject")
    .on("assistant_jobs")
    .columns(["kind", "subject_id"])
    .unique()
    .execute();
  // The claim reads pending rows by due time; done rows leave the index's range.
  await db.schema
    .createIndex("assistant_jobs_due")
    .on("assistant_jobs")
    .columns(["status", "due_at"])
    .execute();

  await db.schema
    .createTable("notification_rules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("condition", "text", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("channels", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("notification_rules_org_name")
    .on("notification_rules")
    .columns(["org_id", "name"])
    .unique()
    .execute();

  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema.alterTable("profiles").addColumn("instructions", "text").execute();
  await db.schema.alterTable("profiles").addColumn("booking_url", "text").execute();
  await db.schema
    .alterTable("profiles")
    .addColumn("extract_keys", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
  await db.schema
    .alterTable("profiles")
    .addColumn("max_sms_length", "integer", (c) => c.notNull().defaultTo(320))
    .execute();
  await db.schema
    .alterTable("profiles")
    .addColumn("initial_outreach", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema.alterTable("messages").addColumn("author", "text").execute();
  await db.schema.alterTable("messages").addColumn("draft", "text").execute();
  await db.schema.alterTable("messages").addColumn("reply_to_id", "text").execute();
  await sql`create unique index messages_reply_to on messages (reply_to_id) where reply_to_id is not null`.execute(
    db,
  );
}
