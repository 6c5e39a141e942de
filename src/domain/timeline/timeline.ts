import { toIso } from "../../clock.js";
import { insertJsonRows, type JsonColumns } from "../../db/bulk.js";
import type { Capabilities } from "../../db/database.js";
import type { TimelineTable } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { DomainContext, Tx } from "../context.js";
import { timelineData } from "../jsonColumns.js";
import { decodePosition, toPage } from "../pagination.js";

/** Timeline entry types of the contract; consumers must tolerate new ones. */
export const TIMELINE_TYPES = [
  "MESSAGE",
  "EMAIL",
  "CALL",
  "TOOL_CALL",
  "CUSTOM",
  "COMPLIANCE_BLOCKED",
] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

export interface TimelineEntryView {
  id: string;
  roomId: string;
  orgId: string;
  type: string;
  timestamp: string;
  updatedAt: string;
  data: unknown;
}

export interface NewTimelineEntry {
  orgId: string;
  leadId: string;
  type: TimelineType;
  data: unknown;
  at: Date;
}

const TIMELINE_COLUMNS = [
  { name: "id", type: "text" },
  { name: "org_id", type: "text" },
  { name: "lead_id", type: "text" },
  { name: "type", type: "text" },
  { name: "data", type: "text" },
  { name: "timestamp", type: "text" },
  { name: "updated_at", type: "text" },
] as const satisfies JsonColumns<keyof TimelineTable>;

function timelineRow(entry: NewTimelineEntry) {
  const at = toIso(entry.at);
  return {
    id: newId("tl"),
    org_id: entry.orgId,
    lead_id: entry.leadId,
    type: entry.type,
    data: JSON.stringify(entry.data),
    timestamp: at,
    updated_at: at,
  };
}

/** Adds entries in one insert; returns their ids in input order. */
export async function addTimelineEntries(
  tx: Tx,
  backend: { capabilities: Capabilities },
  entries: readonly NewTimelineEntry[],
): Promise<string[]> {
  if (entries.length === 0) return [];
  const rows = entries.map(timelineRow);
  await insertJsonRows(backend, "timeline", TIMELINE_COLUMNS, rows).execute(tx);
  return rows.map((r) => r.id);
}

export async function addTimelineEntry(tx: Tx, input: NewTimelineEntry): Promise<string> {
  const row = timelineRow(input);
  await tx.insertInto("timeline").values(row).execute();
  return row.id;
}

/** The lead's timeline by `updatedAt` ascending (ties by id), so a poller sees edits too. */
export async function listTimeline(
  ctx: DomainContext,
  orgId: string,
  leadId: string,
  query: { since: Date; types?: string[] | undefined; limit: number; nextToken?: string | undefined },
): Promise<{ events: TimelineEntryView[]; nextToken: string | null }> {
  let select = ctx.db
    .selectFrom("timeline")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("lead_id", "=", leadId)
    .where("updated_at", ">=", query.since.toISOString());
  if (query.types !== undefined && query.types.length > 0) select = select.where("type", "in", query.types);
  if (query.nextToken !== undefined) {
    const c = decodePosition(query.nextToken, "timeline");
    select = select.where((eb) =>
      eb.or([eb("updated_at", ">", c.t), eb.and([eb("updated_at", "=", c.t), eb("id", ">", c.id)])]),
    );
  }
  const rows = await select
    .orderBy("updated_at")
    .orderBy("id")
    .limit(query.limit + 1)
    .execute();
  const { page, nextToken } = toPage(rows, query.limit, "timeline", (row) => ({
    t: row.updated_at,
    id: row.id,
  }));
  return {
    events: page.map((row) => ({
      id: row.id,
      roomId: row.lead_id,
      orgId: row.org_id,
      type: row.type,
      timestamp: row.timestamp,
      updatedAt: row.updated_at,
      data: timelineData.read(row.data, row.id),
    })),
    nextToken,
  };
}
