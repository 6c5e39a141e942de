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
 * Incremental sync: ordered by the filtered timestamp ascending, then by commit order, then id
 * (keyset pagination). `createdAt`/`updatedAt` are the org's sync clock stamps (syncClock.ts),
 * handed out in commit order, so a client resuming from the newest timestamp it saw misses no
 * lead changed by a transaction that was still running when it read. Soft-deleted leads are
 * included with `deleted: true`.
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
  const position = byUpdated ? "leads.updated_seq" : "leads.created_seq";
  let select = selectLeadRows(ctx.db, orgId);
  if (query.updatedSince) select = select.where("leads.updated_at", ">=", query.updatedSince.toISOString());
  if (query.createdSince) select = select.where("leads.created_at", ">=", query.createdSince.toISOString());
  if (query.nextToken !== undefined) {
    const cursor = decodePosition(query.nextToken, kind);
    select = select.where(({ eb, refTuple, tuple }) =>
      eb(refTuple(column, position, "leads.id"), ">", tuple(cursor.t, cursor.s ?? 0, cursor.id)),
    );
  }
  const rows = await select
    .orderBy(column)
    .orderBy(position)
    .orderBy("leads.id")
    .limit(query.limit + 1)
    .execute();
  const { page, nextToken } = toPage(rows, query.limit, kind, (row) => ({
    t: byUpdated ? row.updated_at : row.created_at,
    s: Number(byUpdated ? row.updated_seq : row.created_seq),
    id: row.id,
  }));
  return { leads: await toLeadViews(ctx.db, page), nextToken };
}
