import type { DomainContext } from "../context.js";
import { invalid } from "../errors.js";
import { eventBody } from "../jsonColumns.js";
import { decodePosition, toPage } from "../pagination.js";

export interface ListEventsQuery {
  /** Event names to keep; absent or empty keeps every type. */
  types?: string[] | undefined;
  /** Inclusive lower bound on when the event was stored. */
  since?: Date | undefined;
  /** Exclusive upper bound, so consecutive windows never return an event twice. */
  until?: Date | undefined;
  leadId?: string | undefined;
  limit: number;
  nextToken?: string | undefined;
}

export interface EventView {
  id: string;
  type: string;
  leadId: string | null;
  occurredAt: string;
  createdAt: string;
  /** The body receivers get, parsed: the same keys and values, in the same order. */
  payload: Record<string, unknown>;
}

/**
 * The org's event log, oldest first, in commit order: `createdAt` and the position behind the
 * token come from the org's sync clock (syncClock.ts), taken just before the storing transaction
 * commits. An event committed later never sorts before one already read, so a client tailing
 * with `since=<newest createdAt seen>` (inclusive: drop ids already seen) or with the token
 * misses nothing while writers race.
 */
export async function listEvents(
  ctx: DomainContext,
  orgId: string,
  query: ListEventsQuery,
): Promise<{ events: EventView[]; nextToken: string | null }> {
  if (query.since && query.until && query.until <= query.since) {
    throw invalid("until", "must be later than since");
  }
  let select = ctx.db
    .selectFrom("events")
    .select(["id", "type", "lead_id", "body", "occurred_at", "created_at", "seq"])
    .where("org_id", "=", orgId)
    .where("is_test", "=", 0);
  if (query.types !== undefined && query.types.length > 0) select = select.where("type", "in", query.types);
  if (query.leadId !== undefined) select = select.where("lead_id", "=", query.leadId);
  if (query.since) select = select.where("created_at", ">=", query.since.toISOString());
  if (query.until) select = select.where("created_at", "<", query.until.toISOString());
  if (query.nextToken !== undefined) {
    const cursor = decodePosition(query.nextToken, "events");
    select = select.where(({ eb, refTuple, tuple }) =>
      eb(refTuple("created_at", "seq", "id"), ">", tuple(cursor.t, cursor.s ?? 0, cursor.id)),
    );
  }
  const rows = await select
    .orderBy("created_at")
    .orderBy("seq")
    .orderBy("id")
    .limit(query.limit + 1)
    .execute();
  const { page, nextToken } = toPage(rows, query.limit, "events", (row) => ({
    t: row.created_at,
    s: Number(row.seq),
    id: row.id,
  }));
  return {
    events: page.map((row) => ({
      id: row.id,
      type: row.type,
      leadId: row.lead_id,
      occurredAt: row.occurred_at,
      createdAt: row.created_at,
      payload: eventBody.read(row.body, row.id),
    })),
    nextToken,
  };
}
