import type { Kysely } from "kysely";
import { sql } from "kysely";

// Portable types only (text, integer, bigint): see db/schema.ts for why.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("orgs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("lead_limit", "integer")
    .addColumn("inbound_token", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("orgs_name_key").unique().on("orgs").column("name").execute();

  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("orgs.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("key_hash", "text", (c) => c.notNull().unique())
    .addColumn("key_prefix", "text", (c) => c.notNull())
    .addColumn("is_admin", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_used_at", "text")
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema.createIndex("api_keys_org_idx").on("api_keys").columns(["org_id", "id"]).execute();

  await db.schema
    .createTable("profiles")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("orgs.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("sms_enabled", "integer", (c) => c.notNull())
    .addColumn("email_enabled", "integer", (c) => c.notNull())
    .addColumn("voice_enabled", "integer", (c) => c.notNull())
    .addColumn("initial_message", "text")
    .addColumn("initial_subject", "text")
    .addColumn("follow_up_config", "text", (c) => c.notNull())
    .addColumn("step_templates", "text", (c) => c.notNull())
    .addColumn("nurture_template", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("deleted_at", "text")
    .execute();
  await db.schema
    .createIndex("profiles_org_name_key")
    .unique()
    .on("profiles")
    .columns(["org_id", "name"])
    .where(sql.ref("deleted_at"), "is", null)
    .execute();

  await db.schema
    .createTable("leads")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("orgs.id"))
    .addColumn("profile_id", "text", (c) => c.notNull().references("profiles.id"))
    .addColumn("first_name", "text", (c) => c.notNull())
    .addColumn("last_name", "text", (c) => c.notNull())
    .addColumn("phone", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("time_zone", "text")
    .addColumn("external_lead_id", "text")
    .addColumn("additional_info", "text", (c) => c.notNull())
    .addColumn("summary", "text")
    .addColumn("has_replied", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("is_hot", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("is_qualified", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("is_unsubscribed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("is_ai_on", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("follow_up_config", "text")
    .addColumn("follow_up_step", "integer", (c) => c.notNull())
    .addColumn("next_follow_up_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("last_activity_at", "text")
    .addColumn("deleted_at", "text")
    .execute();
  // A phone is unique among an org's live leads; a deleted lead frees its number.
  await db.schema
    .createIndex("leads_org_phone_key")
    .unique()
    .on("leads")
    .columns(["org_id", "phone"])
    .where(sql.ref("deleted_at"), "is", null)
    .execute();
  await db.schema
    .createIndex("leads_org_updated_idx")
    .on("leads")
    .columns(["org_id", "updated_at", "id"])
    .execute();
  await db.schema
    .createIndex("leads_org_created_idx")
    .on("leads")
    .columns(["org_id", "created_at", "id"])
    .execute();
  await db.schema.createIndex("leads_org_email_idx").on("leads").columns(["org_id", "email"]).execute();

  await db.schema
    .createTable("tags")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("orgs.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("color", "text")
    .addColumn("condition", "text")
    .addColumn("is_manual", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("tags_org_name_key").unique().on("tags").columns(["org_id", "name"]).execute();

  await db.schema
    .createTable("lead_tags")
    .addColumn("lead_id", "text", (c) => c.notNull().references("leads.id"))
    .addColumn("tag_id", "text", (c) => c.notNull().references("tags.id"))
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("lead_tags_pk", ["lead_id", "tag_id"])
    .execute();
  await db.schema.createIndex("lead_tags_tag_idx").on("lead_tags").column("tag_id").execute();

  await db.schema
    .createTable("dnc")
    .addColumn("org_id", "text", (c) => c.notNull().references("orgs.id"))
    .addColumn("phone", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("dnc_pk", ["org_id", "phone"])
    .execute();

  await db.schema
    .createTable("settings")
    .addColumn("org_id", "text", (c) => c.primaryKey().references("orgs.id"))
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("orgs.id"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("lead_id", "text")
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("occurred_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("events_org_created_idx")
    .on("events")
    .columns(["org_id", "created_at", "id"])
    .execute();

  await db.schema
    .createTable("timeline")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("lead_id", "text", (c) => c.notNull().references("leads.id"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("timestamp", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("timeline_lead_updated_idx")
    .on("timeline")
    .columns(["lead_id", "updated_at", "id"])
    .execute();
}
