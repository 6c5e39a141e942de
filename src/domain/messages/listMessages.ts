import type { Selectable } from "kysely";
import type { MessageStatus, MessagesTable } from "../../db/schema.js";
import type { DomainContext } from "../context.js";

export interface ListMessagesFilter {
  status?: MessageStatus | undefined;
  leadId?: string | undefined;
  limit: number;
}

/** An org's messages by status or lead, newest first: `status: "unknown"` is the reconciliation list. */
export async function listMessages(
  ctx: DomainContext,
  orgId: string,
  filter: ListMessagesFilter,
): Promise<Selectable<MessagesTable>[]> {
  let query = ctx.db.selectFrom("messages").selectAll().where("org_id", "=", orgId);
  if (filter.status) query = query.where("status", "=", filter.status);
  if (filter.leadId) query = query.where("lead_id", "=", filter.leadId);
  return query.orderBy("created_at", "desc").orderBy("id", "desc").limit(filter.limit).execute();
}
