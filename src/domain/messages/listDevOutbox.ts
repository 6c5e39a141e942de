import type { MessageChannel } from "../../db/schema.js";
import type { DomainContext } from "../context.js";
import { devOutboxHeaders } from "../jsonColumns.js";

/** One message as the dev sink recorded it instead of sending it. */
export interface DevOutboxItem {
  id: string;
  messageId: string | null;
  channel: MessageChannel;
  to: string;
  subject: string | null;
  body: string;
  headers: Record<string, string> | null;
  createdAt: string;
}

/** What the dev sink "sent" for an org, newest first. */
export async function listDevOutbox(
  ctx: DomainContext,
  orgId: string,
  limit: number,
): Promise<DevOutboxItem[]> {
  const rows = await ctx.db
    .selectFrom("dev_outbox")
    .selectAll()
    .where("org_id", "=", orgId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    messageId: r.message_id,
    channel: r.channel,
    to: r.to,
    subject: r.subject,
    body: r.body,
    headers: devOutboxHeaders.readNullable(r.headers, r.id),
    createdAt: r.created_at,
  }));
}
