import type { Insertable, Transaction } from "kysely";
import { toIso } from "../../clock.js";
import { inJsonList, insertJsonRows, type JsonColumns } from "../../db/bulk.js";
import { isUniqueViolation } from "../../db/errors.js";
import type { DB, LeadsTable } from "../../db/schema.js";
import { newLeadId } from "../../ids.js";
import type { DomainContext } from "../context.js";
import { DomainError, invalid } from "../errors.js";
import { inTransaction } from "../events/transaction.js";
import { queueInitialOutreaches } from "../followups/initialOutreach.js";
import { leadStamp } from "../syncClock.js";
import { mergeAdditionalInfo } from "./additionalInfo.js";
import { type FollowUpConfig, STOPPED } from "./followUpConfig.js";
import type { CreateLeadInput } from "./leadInput.js";

async function findLivePhone(ctx: DomainContext, orgId: string, phone: string) {
  return ctx.db
    .selectFrom("leads")
    .select("id")
    .where("org_id", "=", orgId)
    .where("phone", "=", phone)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export function duplicatePhone(id: string): DomainError {
  return new DomainError(
    "DUPLICATE_PHONE",
    "A lead with this phone number already exists.",
    [{ path: "phone", message: "already used by another lead" }],
    { id },
  );
}

/** What a new lead takes from its profile. */
export interface NewLeadProfile {
  id: string;
  follow_up_config: string;
  initial_message: string | null;
  initial_subject: string | null;
  initial_outreach: number;
  sms_enabled: number;
  email_enabled: number;
}

/** The live profile new leads are created under, held (`FOR SHARE`) until the transaction ends. */
export async function newLeadProfile(
  tx: Transaction<DB>,
  ctx: DomainContext,
  orgId: string,
  name: string,
): Promise<NewLeadProfile> {
  const profile = await tx
    .selectFrom("profiles")
    .select([
      "id",
      "follow_up_config",
      "initial_message",
      "initial_subject",
      "initial_outreach",
      "sms_enabled",
      "email_enabled",
    ])
    .where("org_id", "=", orgId)
    .where("name", "=", name)
    .where("deleted_at", "is", null)
    // A concurrent deleteProfile waits for this lead (and then sees it), never strands it.
    .$if(ctx.capabilities.rowLocks, (query) => query.forShare())
    .executeTakeFirst();
  if (!profile) throw invalid("customerProfile", `no profile named "${name}"`);
  return profile;
}

/**
 * How many more live leads the org may have: `undefined` without a limit. With a limit, creates
 * in the org take turns (the org row is locked) so that two of them cannot both count the last
 * free place; without one they run side by side.
 */
export async function leadPlacesLeft(
  tx: Transaction<DB>,
  ctx: DomainContext,
  orgId: string,
): Promise<{ limit: number; left: number } | undefined> {
  const limited = await tx
    .selectFrom("orgs")
    .select("lead_limit")
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  const org =
    limited.lead_limit !== null && ctx.capabilities.rowLocks
      ? await tx
          .selectFrom("orgs")
          .select("lead_limit")
          .where("id", "=", orgId)
          .forUpdate()
          .executeTakeFirstOrThrow()
      : limited;
  if (org.lead_limit === null) return undefined;
  const { count } = await tx
    .selectFrom("leads")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("org_id", "=", orgId)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return { limit: org.lead_limit, left: Math.max(0, org.lead_limit - Number(count)) };
}

export function leadLimitReached(limit: number): DomainError {
  return new DomainError("LEAD_LIMIT_REACHED", `The organisation's limit of ${limit} leads is reached.`);
}

const LEAD_COLUMNS = (
  [
    ["id", "text"],
    ["org_id", "text"],
    ["profile_id", "text"],
    ["first_name", "text"],
    ["last_name", "text"],
    ["phone", "text"],
    ["email", "text"],
    ["time_zone", "text"],
    ["external_lead_id", "text"],
    ["additional_info", "text"],
    ["has_replied", "integer"],
    ["is_hot", "integer"],
    ["is_qualified", "integer"],
    ["is_unsubscribed", "integer"],
    ["is_ai_on", "integer"],
    ["follow_up_step", "integer"],
    ["created_at", "text"],
    ["created_seq", "bigint"],
    ["updated_at", "text"],
    ["updated_seq", "bigint"],
  ] as const
).map(([name, type]) => ({ name, type })) satisfies JsonColumns<keyof LeadsTable>;

/**
 * Inserts validated leads under one profile, in the caller's transaction: each starts opted out
 * when its phone texted STOP before it was a lead here (phoneOptOuts.ts), and gets the profile's
 * initial outreach. The caller has checked the profile, the lead limit and the phones. Returns
 * the new ids (in input order) and whether any message was queued.
 */
export async function insertLeads(
  tx: Transaction<DB>,
  ctx: DomainContext,
  orgId: string,
  profile: NewLeadProfile,
  inputs: readonly CreateLeadInput[],
): Promise<{ ids: string[]; outreach: boolean }> {
  if (inputs.length === 0) return { ids: [], outreach: false };
  const config = JSON.parse(profile.follow_up_config) as FollowUpConfig;
  const optOuts = await tx
    .selectFrom("phone_opt_outs")
    .select(["phone", "channel"])
    .where("org_id", "=", orgId)
    .where(
      inJsonList(
        ctx,
        "phone",
        inputs.map((i) => i.phone),
      ),
    )
    .execute();
  const now = ctx.clock.now();
  const drafts = inputs.map((input) => ({ input, id: newLeadId() }));
  const stamp = await leadStamp(
    tx,
    orgId,
    drafts.map((d) => d.id),
    now,
    "created",
  );
  // Provisional until the transaction ends (syncClock.ts), when created_* and updated_* get its stamp.
  const at = stamp.created_at ?? toIso(now);
  const seq = stamp.created_seq ?? 0;
  const steps = Object.keys(config).length;
  const rows = drafts.map(({ input, id }) => {
    const stopped = optOuts.some((o) => o.phone === input.phone);
    return {
      id,
      org_id: orgId,
      profile_id: profile.id,
      first_name: input.firstName,
      last_name: input.lastName,
      phone: input.phone,
      email: input.email ?? null,
      time_zone: input.timeZone ?? null,
      external_lead_id: input.externalLeadId ?? null,
      // null means "no value" here too, so it is dropped rather than stored.
      additional_info: JSON.stringify(mergeAdditionalInfo({}, input.additionalInfo ?? {}).merged),
      has_replied: 0,
      is_hot: 0,
      is_qualified: 0,
      is_unsubscribed: stopped ? 1 : 0,
      is_ai_on: 1,
      // Step 1 is armed by the initial outreach (follow-up engine); until then nothing is due.
      follow_up_step: steps > 0 ? 1 : STOPPED,
      created_at: at,
      created_seq: seq,
      updated_at: at,
      updated_seq: seq,
    } satisfies Insertable<LeadsTable>;
  });
  await insertJsonRows(ctx, "leads", LEAD_COLUMNS, rows).execute(tx);
  const leadOptOuts = rows.flatMap((row) =>
    optOuts
      .filter((o) => o.phone === row.phone)
      .map((o) => ({
        lead_id: row.id,
        channel: o.channel,
        org_id: orgId,
        reason: "STOP before the lead was created",
        created_at: at,
      })),
  );
  if (leadOptOuts.length > 0) await tx.insertInto("lead_opt_outs").values(leadOptOuts).execute();
  const outreach = await queueInitialOutreaches(tx, ctx.capabilities, rows, profile, now);
  return { ids: rows.map((r) => r.id), outreach };
}

/** A new lead's id, and whether its initial outreach queued a message. */
export interface NewLead {
  id: string;
  outreach: boolean;
}

/**
 * POST /v1/leads/create. Concurrent creates of an org are made together (leadCreateBatches.ts);
 * each is answered as if it had been created alone.
 */
export async function createLead(
  ctx: DomainContext,
  orgId: string,
  input: CreateLeadInput,
): Promise<{ id: string }> {
  const { id, outreach } =
    ctx.leadCreates !== undefined
      ? await ctx.leadCreates.create(orgId, input)
      : await createLeadAlone(ctx, orgId, input);
  if (outreach) ctx.wakeMessageSender();
  return { id };
}

/** One create in a transaction of its own (on SQLite, its own savepoint of the group commit). */
export async function createLeadAlone(
  ctx: DomainContext,
  orgId: string,
  input: CreateLeadInput,
): Promise<NewLead> {
  try {
    return await inTransaction(ctx, async (tx) => {
      const profile = await newLeadProfile(tx, ctx, orgId, input.customerProfile);
      const places = await leadPlacesLeft(tx, ctx, orgId);
      if (places !== undefined && places.left < 1) throw leadLimitReached(places.limit);
      const { ids, outreach } = await insertLeads(tx, ctx, orgId, profile, [input]);
      const [id] = ids;
      if (id === undefined) throw new Error("insertLeads returned no id");
      return { id, outreach };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await findLivePhone(ctx, orgId, input.phone);
    if (existing) throw duplicatePhone(existing.id);
    throw error;
  }
}
