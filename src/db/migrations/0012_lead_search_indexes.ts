import { type Kysely, sql } from "kysely";

/**
 * The lead search (`GET /v1/leads/search`, domain/leads/searchLeads.ts): one org's live leads,
 * newest first, narrowed by any of profile, flags, follow-up step, tag and free text. The index
 * is in that order and holds every column a filter reads, so the search finds a page's ids from
 * the index alone: a filter that matches few (or no) leads reads index entries of a few dozen
 * bytes each instead of whole rows (additionalInfo, summary), and only the page's rows are read.
 * Partial: deleted leads are never searched. The tag filter probes lead_tags' primary key
 * (lead_id, tag_id) with the id the entry holds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("leads_search_idx")
    .on("leads")
    .columns([
      "org_id",
      "created_at",
      "created_seq",
      "id",
      "profile_id",
      "follow_up_step",
      "has_replied",
      "is_hot",
      "is_qualified",
      "is_unsubscribed",
      "is_ai_on",
      "first_name",
      "last_name",
      "email",
      "phone",
      // Always null here, but SQLite counts an index as covering only when it holds every column
      // the query names, the partial condition's included; without it SQLite walks the rows.
      "deleted_at",
    ])
    .where(sql.ref("deleted_at"), "is", null)
    .execute();
}
