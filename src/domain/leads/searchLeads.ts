import { type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { DB } from "../../db/schema.js";
import type { DomainContext } from "../context.js";
import { invalid } from "../errors.js";
import { decodePosition, type Position, toPage } from "../pagination.js";
import { type LeadView, selectAnyLeadRows, toLeadViews } from "./leadView.js";
import { type SearchText, searchTextOf } from "./searchText.js";

export interface LeadFlagFilters {
  hasReplied?: boolean | undefined;
  isHot?: boolean | undefined;
  isQualified?: boolean | undefined;
  isUnsubscribed?: boolean | undefined;
  isAiOn?: boolean | undefined;
}

export interface SearchLeadsQuery extends LeadFlagFilters {
  q?: string | undefined;
  /** A profile's name or id. */
  profile?: string | undefined;
  /** A tag's name or id. */
  tag?: string | undefined;
  followUpStep?: number | undefined;
  limit: number;
  nextToken?: string | undefined;
}

const PAGE_KIND = "leads-search";

const FLAG_COLUMNS = {
  hasReplied: "leads.has_replied",
  isHot: "leads.is_hot",
  isQualified: "leads.is_qualified",
  isUnsubscribed: "leads.is_unsubscribed",
  isAiOn: "leads.is_ai_on",
} as const;

async function profileIdOf(ctx: DomainContext, orgId: string, profile: string): Promise<string> {
  const row = await ctx.db
    .selectFrom("profiles")
    .select("id")
    .where("org_id", "=", orgId)
    .where((eb) =>
      eb.or([eb("id", "=", profile), eb.and([eb("name", "=", profile), eb("deleted_at", "is", null)])]),
    )
    .executeTakeFirst();
  if (!row) throw invalid("profile", `no profile with the name or id "${profile}"`);
  return row.id;
}

async function tagIdOf(ctx: DomainContext, orgId: string, tag: string): Promise<string> {
  const row = await ctx.db
    .selectFrom("tags")
    .select("id")
    .where("org_id", "=", orgId)
    .where((eb) => eb.or([eb("id", "=", tag), eb("name", "=", tag)]))
    .executeTakeFirst();
  if (!row) throw invalid("tag", `no tag with the name or id "${tag}"`);
  return row.id;
}

/** Name or email contains the text (any case), or the phone holds its digits. */
function matchesText(eb: ExpressionBuilder<DB, "leads">, text: SearchText) {
  const name = sql<SqlBool>`lower(${sql.ref("leads.first_name")} || ' ' || ${sql.ref("leads.last_name")}) like ${text.contains} escape '\\'`;
  // Emails are stored lowercase (leadInput.ts).
  const email = sql<SqlBool>`${sql.ref("leads.email")} like ${text.contains} escape '\\'`;
  const ors = [name, email];
  if (text.phoneDigits !== null) ors.push(sql<SqlBool>`${sql.ref("leads.phone")} like ${text.phoneDigits}`);
  return eb.or(ors);
}

interface Resolved {
  profileId: string | undefined;
  tagId: string | undefined;
  text: SearchText | null;
  cursor: Position | undefined;
}

/** Up to `limit + 1` matching leads' positions, newest first, from `leads_search_idx` alone. */
async function findPositions(ctx: DomainContext, orgId: string, query: SearchLeadsQuery, r: Resolved) {
  let select = ctx.db
    .selectFrom("leads")
    .select(["leads.id", "leads.created_at", "leads.created_seq"])
    .where("leads.org_id", "=", orgId)
    .where("leads.deleted_at", "is", null);
  if (r.profileId !== undefined) select = select.where("leads.profile_id", "=", r.profileId);
  for (const [name, column] of Object.entries(FLAG_COLUMNS)) {
    const value = query[name as keyof LeadFlagFilters];
    if (value !== undefined) select = select.where(column, "=", value ? 1 : 0);
  }
  if (query.followUpStep !== undefined)
    select = select.where("leads.follow_up_step", "=", query.followUpStep);
  const { tagId, text, cursor } = r;
  if (tagId !== undefined) {
    select = select.where((eb) =>
      eb.exists(
        eb
          .selectFrom("lead_tags")
          .select("lead_tags.lead_id")
          .whereRef("lead_tags.lead_id", "=", "leads.id")
          .where("lead_tags.tag_id", "=", tagId),
      ),
    );
  }
  if (text !== null) select = select.where((eb) => matchesText(eb, text));
  if (cursor !== undefined) {
    select = select.where(({ eb, refTuple, tuple }) =>
      eb(
        refTuple("leads.created_at", "leads.created_seq", "leads.id"),
        "<",
        tuple(cursor.t, cursor.s ?? 0, cursor.id),
      ),
    );
  }
  return select
    .orderBy("leads.created_at", "desc")
    .orderBy("leads.created_seq", "desc")
    .orderBy("leads.id", "desc")
    .limit(query.limit + 1)
    .execute();
}

/**
 * The org's live leads, newest first (creation time, then commit order, then id; keyset
 * pagination), narrowed by every filter given. Profiles and tags are named by name or id; one
 * that does not exist in the org is a 400 naming the filter. Deleted leads are left out.
 *
 * Two steps: the page's ids from `leads_search_idx` alone (it holds every column a filter reads,
 * so even a filter that matches nothing reads the index, never the wide rows), then those rows.
 */
export async function searchLeads(
  ctx: DomainContext,
  orgId: string,
  query: SearchLeadsQuery,
): Promise<{ leads: LeadView[]; nextToken: string | null }> {
  const found = await findPositions(ctx, orgId, query, {
    cursor: query.nextToken === undefined ? undefined : decodePosition(query.nextToken, PAGE_KIND),
    profileId: query.profile === undefined ? undefined : await profileIdOf(ctx, orgId, query.profile),
    tagId: query.tag === undefined ? undefined : await tagIdOf(ctx, orgId, query.tag),
    text: searchTextOf(query.q),
  });
  const { page, nextToken } = toPage(found, query.limit, PAGE_KIND, (row) => ({
    t: row.created_at,
    s: Number(row.created_seq),
    id: row.id,
  }));
  if (page.length === 0) return { leads: [], nextToken };
  // By primary key alone: the ids are the org's already, and with the org in the condition too
  // SQLite (which knows no sizes) may walk all of the org's leads instead.
  const rows = await selectAnyLeadRows(ctx.db)
    .where(
      "leads.id",
      "in",
      page.map((row) => row.id),
    )
    .execute();
  const byId = new Map(rows.filter((row) => row.org_id === orgId).map((row) => [row.id, row]));
  const ordered = page.flatMap((row) => byId.get(row.id) ?? []);
  return { leads: await toLeadViews(ctx.db, ordered), nextToken };
}
