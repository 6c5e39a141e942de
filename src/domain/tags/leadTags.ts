import { z } from "zod";
import { toIso } from "../../clock.js";
import type { LeadsTable } from "../../db/schema.js";
import type { DomainContext, Tx } from "../context.js";
import { DomainError, type FieldIssue } from "../errors.js";
import { leadTaggedData } from "../events/catalog.js";
import { type Emit, inTransaction } from "../events/transaction.js";
import { type LeadRow, loadLiveLeadRow } from "../leads/leadView.js";
import { leadStamp } from "../syncClock.js";
import { BUILT_IN_TAGS, type BuiltInTagName } from "./builtInTags.js";

export const leadTagIdsSchema = z.strictObject({
  tagIds: z
    .array(z.string().min(1).max(100))
    .max(100)
    .superRefine((ids, ctx) => {
      ids.forEach((id, index) => {
        const first = ids.indexOf(id);
        if (first !== index)
          ctx.addIssue({ code: "custom", path: [index], message: `repeats tagIds.${first}` });
      });
    }),
});

/** A lead's tag as the lead-tag operations return it (the contract's `{ id, name }`). */
export interface LeadTagRef {
  id: string;
  name: string;
}

interface OrgTag extends LeadTagRef {
  is_manual: 0 | 1;
}

type FlagColumn = keyof Pick<LeadsTable, "has_replied" | "is_hot" | "is_qualified">;

const FLAG_BY_BUILT_IN: Record<BuiltInTagName, FlagColumn> = {
  hasReplied: "has_replied",
  isHot: "is_hot",
  isQualified: "is_qualified",
};

type FlagChanges = Partial<Record<FlagColumn, 0 | 1>>;

function flagOf(tag: OrgTag): FlagColumn | undefined {
  if (tag.is_manual === 1) return undefined;
  const builtIn = BUILT_IN_TAGS.find((candidate) => candidate.name === tag.name);
  return builtIn === undefined ? undefined : FLAG_BY_BUILT_IN[builtIn.name];
}

/** Manual tagging of a built-in tag also sets its lead column, so the lead's booleans match its tags. */
function setFlags(flags: FlagChanges, tags: OrgTag[], value: 0 | 1): void {
  for (const tag of tags) {
    const column = flagOf(tag);
    if (column !== undefined) flags[column] = value;
  }
}

/** The org's tags for `tagIds`, in request order; any id that is not one of them is a 400. */
async function resolveTags(tx: Tx, orgId: string, tagIds: string[]): Promise<OrgTag[]> {
  if (tagIds.length === 0) return [];
  const rows = await tx
    .selectFrom("tags")
    .select(["id", "name", "is_manual"])
    .where("org_id", "=", orgId)
    .where("id", "in", tagIds)
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const issues: FieldIssue[] = [];
  const tags: OrgTag[] = [];
  tagIds.forEach((id, index) => {
    const tag = byId.get(id);
    if (tag === undefined) issues.push({ path: `tagIds.${index}`, message: "no tag with this id" });
    else tags.push(tag);
  });
  if (issues.length > 0) {
    throw new DomainError("VALIDATION_FAILED", "Some tagIds are not tags of this organisation.", issues);
  }
  return tags;
}

async function currentTags(tx: Tx, orgId: string, leadId: string): Promise<OrgTag[]> {
  return tx
    .selectFrom("lead_tags")
    .innerJoin("tags", "tags.id", "lead_tags.tag_id")
    .select(["tags.id", "tags.name", "tags.is_manual"])
    .where("lead_tags.org_id", "=", orgId)
    .where("lead_tags.lead_id", "=", leadId)
    .orderBy("tags.name")
    .orderBy("tags.id")
    .execute();
}

async function unlink(tx: Tx, leadId: string, tags: OrgTag[]): Promise<void> {
  if (tags.length === 0) return;
  await tx
    .deleteFrom("lead_tags")
    .where("lead_id", "=", leadId)
    .where(
      "tag_id",
      "in",
      tags.map((tag) => tag.id),
    )
    .execute();
}

/**
 * Links the tags and returns those this call actually linked: a concurrent request that linked
 * one first wins the row (and its event) instead of failing on the primary key.
 */
async function link(tx: Tx, orgId: string, leadId: string, tags: OrgTag[], now: string): Promise<OrgTag[]> {
  if (tags.length === 0) return [];
  const inserted = await tx
    .insertInto("lead_tags")
    .values(tags.map((tag) => ({ lead_id: leadId, tag_id: tag.id, org_id: orgId, created_at: now })))
    .onConflict((oc) => oc.columns(["lead_id", "tag_id"]).doNothing())
    .returning("tag_id")
    .execute();
  const linked = new Set(inserted.map((row) => row.tag_id));
  return tags.filter((tag) => linked.has(tag.id));
}

/** Writes changed flags and bumps updated_at when anything about the lead's tags changed. */
async function touchLead(tx: Tx, lead: LeadRow, flags: FlagChanges, linksChanged: boolean, now: string) {
  const changed: FlagChanges = {};
  for (const column of Object.values(FLAG_BY_BUILT_IN)) {
    const value = flags[column];
    if (value !== undefined && value !== lead[column]) changed[column] = value;
  }
  if (!linksChanged && Object.keys(changed).length === 0) return;
  await tx
    .updateTable("leads")
    .set({ ...changed, ...(await leadStamp(tx, lead.org_id, lead.id, new Date(now))) })
    .where("id", "=", lead.id)
    .where("org_id", "=", lead.org_id)
    .execute();
}

async function emitTagged(
  emit: Emit,
  lead: LeadRow,
  tags: OrgTag[],
  channel: "sms" | "email" | "manual" = "manual",
): Promise<void> {
  for (const tag of tags) {
    await emit({
      orgId: lead.org_id,
      leadId: lead.id,
      type: "leadTagged",
      data: leadTaggedData({
        lead: { leadId: lead.id, externalLeadId: lead.external_lead_id, phone: lead.phone },
        channel,
        tag: tag.name,
      }),
    });
  }
}

const toRef = (tag: OrgTag): LeadTagRef => ({ id: tag.id, name: tag.name });

/**
 * Tags the assistant found true in a conversation (the lead row locked by the caller): each one
 * newly linked fires `leadTagged` with the channel of the message that triggered it, and built-in
 * tags set their lead flag. Returns the names of the tags this call linked.
 */
export async function tagFromConversation(
  tx: Tx,
  emit: Emit,
  lead: LeadRow,
  tagIds: readonly string[],
  channel: "sms" | "email",
  now: Date,
): Promise<string[]> {
  if (tagIds.length === 0) return [];
  const rows = await tx
    .selectFrom("tags")
    .select(["id", "name", "is_manual"])
    .where("org_id", "=", lead.org_id)
    .where("id", "in", [...tagIds])
    .execute();
  const at = toIso(now);
  const linked = await link(tx, lead.org_id, lead.id, rows, at);
  const flags: FlagChanges = {};
  setFlags(flags, linked, 1);
  await touchLead(tx, lead, flags, linked.length > 0, at);
  await emitTagged(emit, lead, linked, channel);
  return linked.map((tag) => tag.name);
}

/** The lead's tags become exactly `tagIds`; each newly applied tag fires `leadTagged`. */
export async function replaceLeadTags(
  ctx: DomainContext,
  orgId: string,
  leadId: string,
  tagIds: string[],
): Promise<LeadTagRef[]> {
  return inTransaction(ctx, async (tx, emit) => {
    const lead = await loadLiveLeadRow(tx, ctx.capabilities, orgId, leadId);
    const wanted = await resolveTags(tx, orgId, tagIds);
    const current = await currentTags(tx, orgId, leadId);
    const wantedIds = new Set(wanted.map((tag) => tag.id));
    const currentIds = new Set(current.map((tag) => tag.id));
    const dropped = current.filter((tag) => !wantedIds.has(tag.id));
    const now = toIso(ctx.clock.now());

    await unlink(tx, leadId, dropped);
    const added = await link(
      tx,
      orgId,
      leadId,
      wanted.filter((tag) => !currentIds.has(tag.id)),
      now,
    );
    await emitTagged(emit, lead, added);

    const flags: FlagChanges = {};
    setFlags(flags, dropped, 0);
    setFlags(flags, wanted, 1);
    await touchLead(tx, lead, flags, dropped.length > 0 || added.length > 0, now);
    return (await currentTags(tx, orgId, leadId)).map(toRef);
  });
}

/** Removes `tagIds` from the lead (ids it does not carry are fine); untagging fires no event. */
export async function removeLeadTags(
  ctx: DomainContext,
  orgId: string,
  leadId: string,
  tagIds: string[],
): Promise<LeadTagRef[]> {
  return ctx.db.transaction().execute(async (tx) => {
    const lead = await loadLiveLeadRow(tx, ctx.capabilities, orgId, leadId);
    const named = await resolveTags(tx, orgId, tagIds);
    const namedIds = new Set(named.map((tag) => tag.id));
    const current = await currentTags(tx, orgId, leadId);
    const dropped = current.filter((tag) => namedIds.has(tag.id));

    await unlink(tx, leadId, dropped);
    const flags: FlagChanges = {};
    setFlags(flags, named, 0);
    await touchLead(tx, lead, flags, dropped.length > 0, toIso(ctx.clock.now()));
    return current.filter((tag) => !namedIds.has(tag.id)).map(toRef);
  });
}
