import { type Selectable, sql } from "kysely";
import type { Capabilities } from "../../db/database.js";
import type { LeadsTable } from "../../db/schema.js";
import type { Tx } from "../context.js";
import { notFound } from "../errors.js";
import { leadAdditionalInfo, leadFollowUpConfig, profileFollowUpConfig } from "../jsonColumns.js";
import type { FollowUpConfig } from "./followUpConfig.js";

export interface LeadTagView {
  id: string;
  name: string;
  condition: string | null;
}

/** The lead as `GET /v1/leads/{leadId}` returns it (contract field names). */
export interface LeadView {
  id: string;
  firstName: string;
  lastName: string;
  phone: string;
  email: string | null;
  timeZone: string | null;
  customerProfile: string;
  externalLeadId: string | null;
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string | null;
  additionalInfo: Record<string, unknown>;
  hasReplied: boolean;
  isHot: boolean;
  isQualified: boolean;
  isUnsubscribed: boolean;
  isAiOn: boolean;
  tags: LeadTagView[];
  summary: string | null;
  followUpConfig: FollowUpConfig;
  followUpStep: number;
  nextFollowUpAt: string | null;
  deleted: boolean;
  deletedAt: string | null;
}

export type LeadRow = Selectable<LeadsTable> & { profile_name: string; profile_follow_up_config: string };

/** Lead rows of any org: callers scope them (selectLeadRows, or ids already scoped). */
export function selectAnyLeadRows(tx: Tx) {
  return tx
    .selectFrom("leads")
    .innerJoin("profiles", "profiles.id", "leads.profile_id")
    .selectAll("leads")
    .select(["profiles.name as profile_name", "profiles.follow_up_config as profile_follow_up_config"]);
}

export function selectLeadRows(tx: Tx, orgId: string) {
  return selectAnyLeadRows(tx).where("leads.org_id", "=", orgId);
}

/**
 * A lead that exists and is not deleted, or a 404: writes never touch deleted leads. The lead's
 * row stays locked until the transaction ends (PostgreSQL; SQLite's transactions already hold
 * the write lock), so two changes to one lead run one after the other and the second merges
 * into what the first wrote instead of overwriting it. Only the lead is locked, not its profile.
 */
export async function loadLiveLeadRow(
  tx: Tx,
  capabilities: Capabilities,
  orgId: string,
  leadId: string,
): Promise<LeadRow> {
  const row = await selectLeadRows(tx, orgId)
    .where("leads.id", "=", leadId)
    .$if(capabilities.rowLocks, (query) => query.forUpdate("leads"))
    .executeTakeFirst();
  if (!row || row.deleted_at !== null) throw notFound("Lead");
  return row;
}

/** PostgreSQL: an org's lead rows with their row version (`xmin`) as `row_version`. */
export function selectVersionedLeadRows(db: Tx, orgId: string) {
  return selectLeadRows(db, orgId).select(sql<string>`leads.xmin::text`.as("row_version"));
}

/**
 * PostgreSQL: a live lead read without a lock, with its row version (`xmin`), for a change that
 * is written back only if the row is still that version (changeLeadPg.ts). A 404 as above.
 */
export async function loadVersionedLeadRow(
  db: Tx,
  orgId: string,
  leadId: string,
): Promise<{ row: LeadRow; version: string }> {
  const found = await selectVersionedLeadRows(db, orgId).where("leads.id", "=", leadId).executeTakeFirst();
  if (!found || found.deleted_at !== null) throw notFound("Lead");
  const { row_version: version, ...row } = found;
  return { row, version };
}

/**
 * The follow-up config that applies to a lead: its own override, else its profile's. The one
 * place this fallback is written; queries select the profile's config as `profile_follow_up_config`.
 */
export function effectiveFollowUpConfig(
  row: Pick<LeadRow, "id" | "profile_id" | "follow_up_config" | "profile_follow_up_config">,
): FollowUpConfig {
  return row.follow_up_config === null
    ? profileFollowUpConfig.read(row.profile_follow_up_config, row.profile_id)
    : leadFollowUpConfig.read(row.follow_up_config, row.id);
}

export async function loadTags(tx: Tx, leadIds: string[]): Promise<Map<string, LeadTagView[]>> {
  const byLead = new Map<string, LeadTagView[]>();
  if (leadIds.length === 0) return byLead;
  const rows = await tx
    .selectFrom("lead_tags")
    .innerJoin("tags", "tags.id", "lead_tags.tag_id")
    .select(["lead_tags.lead_id", "tags.id", "tags.name", "tags.condition"])
    .where("lead_tags.lead_id", "in", leadIds)
    .orderBy("tags.name")
    .execute();
  for (const row of rows) {
    const list = byLead.get(row.lead_id) ?? [];
    list.push({ id: row.id, name: row.name, condition: row.condition });
    byLead.set(row.lead_id, list);
  }
  return byLead;
}

export function toLeadView(row: LeadRow, tags: LeadTagView[]): LeadView {
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    phone: row.phone,
    email: row.email,
    timeZone: row.time_zone,
    customerProfile: row.profile_name,
    externalLeadId: row.external_lead_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastActivityAt: row.last_activity_at,
    additionalInfo: leadAdditionalInfo.read(row.additional_info, row.id),
    hasReplied: row.has_replied === 1,
    isHot: row.is_hot === 1,
    isQualified: row.is_qualified === 1,
    isUnsubscribed: row.is_unsubscribed === 1,
    isAiOn: row.is_ai_on === 1,
    tags,
    summary: row.summary,
    followUpConfig: effectiveFollowUpConfig(row),
    followUpStep: row.follow_up_step,
    nextFollowUpAt: row.next_follow_up_at,
    deleted: row.deleted_at !== null,
    deletedAt: row.deleted_at,
  };
}

export async function toLeadViews(tx: Tx, rows: LeadRow[]): Promise<LeadView[]> {
  const tags = await loadTags(
    tx,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toLeadView(row, tags.get(row.id) ?? []));
}
