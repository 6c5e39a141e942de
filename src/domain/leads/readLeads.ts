import type { DomainContext } from "../context.js";
import { invalid, notFound } from "../errors.js";
import { decodePosition, toPage } from "../pagination.js";
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
  const kind = query.updatedSince !== undefined ? "leads-by-updated" : "leads-by-created";
  const byUpdated = query.updatedSince !== undefined;
  const column = byUpdated ? "leads.updated_at" : "leads.created_at";
  let select = selectLeadRows(ctx.db, orgId);
  if (query.updatedSince) select = select.where("leads.updated_at", ">=", query.updatedSince.toISOString());
  if (query.createdSince) select = select.where("leads.created_at", ">=", query.createdSince.toISOString());
  if (query.nextToken !== undefined) {
    const cursor = decodePosition(query.nextToken, kind);
    select = select.where((eb) =>
      eb.or([eb(column, ">", cursor.t), eb.and([eb(column, "=", cursor.t), eb("leads.id", ">", cursor.id)])]),
    );
  }
  const rows = await select
    .orderBy(column)
    .orderBy("leads.id")
    .limit(query.limit + 1)
    .execute();
  const { page, nextToken } = toPage(rows, query.limit, kind, (row) => ({
    t: byUpdated ? row.updated_at : row.created_at,
    id: row.id,
  }));
  return { leads: await toLeadViews(ctx.db, page), nextToken };
}
