import type { Selectable } from "kysely";
import { toIso } from "../../clock.js";
import { type Backend, inJsonList } from "../../db/bulk.js";
import type { UnroutedInboundTable } from "../../db/schema.js";
import type { Caller, DomainContext, Tx } from "../context.js";
import { notFound } from "../errors.js";
import { unroutedInboundParams } from "../jsonColumns.js";
import { decodePosition, toPage } from "../pagination.js";

export interface UnroutedMessage {
  provider: string;
  messageSid: string;
  /** Undefined when no org owns the number it was sent to. */
  orgId: string | undefined;
  from: string;
  to: string;
  body: string;
  /** The provider's request parameters as received. */
  params: Readonly<Record<string, string | readonly string[] | undefined>>;
  reason: string;
  /** True when it needs nothing more (a STOP from a phone with no lead, applied to the phone). */
  resolved: boolean;
}

/**
 * Keeps an inbound message that reached no lead, once per provider id: a provider's retry updates
 * the row (its org and reason may have changed since) unless an operator resolved it already.
 */
export async function storeUnrouted(tx: Tx, message: UnroutedMessage, now: Date): Promise<void> {
  const at = toIso(now);
  const row = {
    provider: message.provider,
    message_sid: message.messageSid,
    org_id: message.orgId ?? null,
    from_address: message.from,
    to_address: message.to,
    body: message.body,
    params: JSON.stringify(message.params),
    reason: message.reason,
    resolved: message.resolved ? (1 as const) : (0 as const),
    resolved_at: message.resolved ? at : null,
    received_at: at,
  };
  await tx
    .insertInto("unrouted_inbound")
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(["provider", "message_sid"])
        .doUpdateSet({
          org_id: row.org_id,
          reason: row.reason,
          resolved: row.resolved,
          resolved_at: row.resolved_at,
        })
        .where("unrouted_inbound.resolved", "=", 0),
    )
    .execute();
}

/** Retries that reached a lead after all: their stored copies are resolved, and shown to that org. */
export async function resolveRouted(
  tx: Tx,
  backend: Backend,
  provider: string,
  messageSids: readonly string[],
  orgId: string,
  now: Date,
): Promise<void> {
  await tx
    .updateTable("unrouted_inbound")
    .set({
      resolved: 1,
      resolved_at: toIso(now),
      reason: "reached a lead on a later attempt",
      org_id: orgId,
    })
    .where("provider", "=", provider)
    .where(inJsonList(backend, "message_sid", messageSids))
    .where("resolved", "=", 0)
    .execute();
}

export interface UnroutedView {
  provider: string;
  messageSid: string;
  orgId: string | null;
  from: string;
  to: string;
  body: string;
  params: Record<string, string | string[]>;
  reason: string;
  resolved: boolean;
  resolvedAt: string | null;
  receivedAt: string;
}

type UnroutedRow = Selectable<UnroutedInboundTable>;

function view(row: UnroutedRow): UnroutedView {
  return {
    provider: row.provider,
    messageSid: row.message_sid,
    orgId: row.org_id,
    from: row.from_address,
    to: row.to_address,
    body: row.body,
    params: unroutedInboundParams.read(row.params, `${row.provider}/${row.message_sid}`),
    reason: row.reason,
    resolved: row.resolved === 1,
    resolvedAt: row.resolved_at,
    receivedAt: row.received_at,
  };
}

/** Admin keys see every org's (and those no org owns); other keys only their org's. */
function visibleTo(tx: Tx, caller: Caller) {
  return tx
    .selectFrom("unrouted_inbound")
    .selectAll()
    .$if(!caller.isAdmin, (query) => query.where("org_id", "=", caller.orgId));
}

const KIND = "unrouted";

export interface UnroutedQuery {
  resolved?: boolean | undefined;
  limit: number;
  nextToken?: string | undefined;
}

/** Newest first. */
export async function listUnrouted(
  ctx: DomainContext,
  caller: Caller,
  query: UnroutedQuery,
): Promise<{ messages: UnroutedView[]; nextToken: string | null }> {
  let select = visibleTo(ctx.db, caller);
  if (query.resolved !== undefined) select = select.where("resolved", "=", query.resolved ? 1 : 0);
  if (query.nextToken !== undefined) {
    const cursor = decodePosition(query.nextToken, KIND);
    select = select.where((eb) =>
      eb.or([
        eb("received_at", "<", cursor.t),
        eb.and([eb("received_at", "=", cursor.t), eb("message_sid", "<", cursor.id)]),
      ]),
    );
  }
  const rows = await select
    .orderBy("received_at", "desc")
    .orderBy("message_sid", "desc")
    .limit(query.limit + 1)
    .execute();
  const { page, nextToken } = toPage(rows, query.limit, KIND, (r) => ({
    t: r.received_at,
    id: r.message_sid,
  }));
  return { messages: page.map(view), nextToken };
}

/** An operator has dealt with it. Idempotent; another org's message is not found. */
export async function resolveUnrouted(
  ctx: DomainContext,
  caller: Caller,
  messageSid: string,
): Promise<UnroutedView> {
  return ctx.db.transaction().execute(async (tx) => {
    const row = await visibleTo(tx, caller).where("message_sid", "=", messageSid).executeTakeFirst();
    if (row === undefined) throw notFound("Unrouted message");
    if (row.resolved === 1) return view(row);
    const at = toIso(ctx.clock.now());
    await tx
      .updateTable("unrouted_inbound")
      .set({ resolved: 1, resolved_at: at })
      .where("provider", "=", row.provider)
      .where("message_sid", "=", row.message_sid)
      .execute();
    return view({ ...row, resolved: 1, resolved_at: at });
  });
}
