import type { DomainContext } from "../context.js";
import { invalid, notFound } from "../errors.js";
import { type LeadView, selectLeadRows, toLeadViews } from "./leadView.js";

export async function getLead(ctx: DomainContext, orgId: string, leadId: string): Promise<LeadView> {
  const row = await selectLeadRows(ctx.db, orgId).where("leads.id", "=", leadId).executeTakeFirst();
  if (!row) throw notFound("Lead");
  const [view] = await toLeadViews(ctx.db, [row]);
  if (!view) throw notFound("Lead");
  return view;
}

/** The live lead with this (already normalised) phone. */
export async function lookupLeadByPhone(ctx: DomainContext, orgId: string, phone: string): Promise<LeadView> {
  const row = await selectLeadRows(ctx.db, orgId)
    .where("leads.phone", "=", phone)
    .where("leads.deleted_at", "is", null)
    .executeTakeFirst();
  if (!row) throw notFound("Lead");
  const [view] = await toLeadViews(ctx.db, [row]);
  if (!view) throw notFound("Lead");
  return view;
}

export interface ListLeadsQuery {
  updatedSince?: Date | undefined;
  createdSince?: Date | undefined;
  limit: number;
  nextToken?: string | undefined;
}

interface Cursor {
  /** The timestamp column the listing is ordered by. */
  k: "u" | "c";
  t: string;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

function decodeCursor(token: string, expected: Cursor["k"]): Cursor {
  try {
    const value = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Partial<Cursor>;
    if (value.k === expected && typeof value.t === "string" && typeof value.id === "string") {
      return { k: value.k, t: value.t, id: value.id };
    }
  } catch {
    // fall through: any undecodable token is the caller's error
  }
  throw invalid("nextToken", "is not a token from this listing (keep the same filters when paging)");
}

/**
 * Incremental sync: ordered by the filtered timestamp ascending, ties by id (keyset pagination,
 * stable under concurrent writes). Soft-deleted leads are included with `deleted: true`.
 */
export async function listLeads(
  ctx: DomainContext,
  orgId: string,
  query: ListLeadsQuery,
): Promise<{ leads: LeadView[]; nextToken: string | null }> {
  if (query.updatedSince === undefined && query.createdSince === undefined) {
    throw invalid("updatedSince", "updatedSince or createdSince is required");
  }
  const kind: Cursor["k"] = query.updatedSince !== undefined ? "u" : "c";
  const column = kind === "u" ? "leads.updated_at" : "leads.created_at";
  let select = selectLeadRows(ctx.db, orgId);
  if (query.updatedSince) select = select.where("leads.updated_at", ">=", query.updatedSince.toISOString());
  if (query.createdSince) select = select.where("leads.created_at", ">=", query.createdSince.toISOString());
  if (query.nextToken !== undefined) {
    const cursor = decodeCursor(query.nextToken, kind);
    select = select.where((eb) =>
      eb.or([eb(column, ">", cursor.t), eb.and([eb(column, "=", cursor.t), eb("leads.id", ">", cursor.id)])]),
    );
  }
  const rows = await select
    .orderBy(column)
    .orderBy("leads.id")
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextToken =
    rows.length > query.limit && last
      ? encodeCursor({ k: kind, t: kind === "u" ? last.updated_at : last.created_at, id: last.id })
      : null;
  return { leads: await toLeadViews(ctx.db, page), nextToken };
}
