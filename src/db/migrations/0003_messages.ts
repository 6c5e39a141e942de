import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("messages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("orgs.id"))
    .addColumn("lead_id", "text", (c) => c.notNull().references("leads.id"))
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("direction", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("subject", "text")
    .addColumn("segments", "integer")
    .addColumn("encoding", "text")
    .addColumn("follow_up_step", "integer")
    .addColumn("schedule_follow_ups", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("override_business_hours", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("send_when_off", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("due_at", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("claimed_by", "text")
    .addColumn("claimed_at", "text")
    .addColumn("provider", "text")
    .addColumn("provider_message_id", "text")
    .addColumn("provider_status_rank", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("error_code", "text")
    .addColumn("error_message", "text")
    .addColumn("blocked_reason", "text")
    .addColumn("timeline_id", "text")
    .addColumn("sent_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("messages_due_idx").on("messages").columns(["status", "due_at"]).execute();
  await db.schema
    .createIndex("messages_lead_idx")
    .on("messages")
    .columns(["lead_id", "created_at"])
    .execute();
  await db.schema
    .createIndex("messages_provider_id_key")
    .unique()
    .on("messages")
    .columns(["provider", "provider_message_id"])
    .execute();

  await db.schema
    .createTable("lead_opt_outs")
    .addColumn("lead_id", "text", (c) => c.notNull().references("leads.id"))
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("lead_opt_outs_pk", ["lead_id", "channel"])
    .execute();

  await db.schema
    .createTable("unsubscribe_tokens")
    .addColumn("token", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("lead_id", "text", (c) => c.notNull().references("leads.id"))
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("unsubscribe_tokens_lead_key")
    .unique()
    .on("unsubscribe_tokens")
    .columns(["lead_id", "channel"])
    .execute();

  await db.schema
    .createTable("dev_outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("message_id", "text")
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("to", "text", (c) => c.notNull())
    .addColumn("subject", "text")
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("headers", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("dev_outbox_org_idx")
    .on("dev_outbox")
    .columns(["org_id", "created_at"])
    .execute();
}
