import { isUniqueViolation } from "../../db/errors.js";
import { newLeadId } from "../../ids.js";
import type { DomainContext } from "../context.js";
import { DomainError, invalid } from "../errors.js";
import { inTransaction } from "../events/transaction.js";
import { queueInitialOutreach } from "../followups/initialOutreach.js";
import { leadChangeStamp, syncStamp } from "../syncClock.js";
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

function duplicatePhone(id: string): DomainError {
  return new DomainError(
    "DUPLICATE_PHONE",
    "A lead with this phone number already exists.",
    [{ path: "phone", message: "already used by another lead" }],
    { id },
  );
}

export async function createLead(
  ctx: DomainContext,
  orgId: string,
  input: CreateLeadInput,
): Promise<{ id: string }> {
  try {
    const { id, outreach } = await inTransaction(ctx, async (tx) => {
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
        .where("name", "=", input.customerProfile)
        .where("deleted_at", "is", null)
        // A concurrent deleteProfile waits for this lead (and then sees it), never strands it.
        .$if(ctx.capabilities.rowLocks, (query) => query.forShare())
        .executeTakeFirst();
      if (!profile) throw invalid("customerProfile", `no profile named "${input.customerProfile}"`);

      // With a limit, creates in the org take turns (the org row is locked) so that two of them
      // cannot both count the last free place; without one they run side by side.
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
      if (org.lead_limit !== null) {
        const { count } = await tx
          .selectFrom("leads")
          .select((eb) => eb.fn.countAll<number>().as("count"))
          .where("org_id", "=", orgId)
          .where("deleted_at", "is", null)
          .executeTakeFirstOrThrow();
        if (Number(count) >= org.lead_limit) {
          throw new DomainError(
            "LEAD_LIMIT_REACHED",
            `The organisation's limit of ${org.lead_limit} leads is reached.`,
          );
        }
      }

      const config = JSON.parse(profile.follow_up_config) as FollowUpConfig;
      // The phone texted STOP before it was a lead here (phoneOptOuts.ts): it starts opted out.
      const phoneOptOuts = await tx
        .selectFrom("phone_opt_outs")
        .select("channel")
        .where("org_id", "=", orgId)
        .where("phone", "=", input.phone)
        .execute();
      const stamp = await syncStamp(tx, orgId, ctx.clock.now());
      const id = newLeadId();
      await tx
        .insertInto("leads")
        .values({
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
          summary: null,
          has_replied: 0,
          is_hot: 0,
          is_qualified: 0,
          is_unsubscribed: phoneOptOuts.length > 0 ? 1 : 0,
          is_ai_on: 1,
          // Step 1 is armed by the initial outreach (follow-up engine); until then nothing is due.
          follow_up_step: Object.keys(config).length > 0 ? 1 : STOPPED,
          next_follow_up_at: null,
          created_at: stamp.at,
          created_seq: stamp.seq,
          ...leadChangeStamp(stamp),
          last_activity_at: null,
          deleted_at: null,
        })
        .execute();
      if (phoneOptOuts.length > 0) {
        await tx
          .insertInto("lead_opt_outs")
          .values(
            phoneOptOuts.map((o) => ({
              lead_id: id,
              channel: o.channel,
              org_id: orgId,
              reason: "STOP before the lead was created",
              created_at: stamp.at,
            })),
          )
          .execute();
      }
      const outreach = await queueInitialOutreach(
        tx,
        ctx.capabilities,
        {
          id,
          org_id: orgId,
          phone: input.phone,
          email: input.email ?? null,
          time_zone: input.timeZone ?? null,
          first_name: input.firstName,
          last_name: input.lastName,
          additional_info: JSON.stringify(mergeAdditionalInfo({}, input.additionalInfo ?? {}).merged),
        },
        profile,
        ctx.clock.now(),
      );
      return { id, outreach };
    });
    if (outreach) ctx.wakeMessageSender();
    return { id };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await findLivePhone(ctx, orgId, input.phone);
    if (existing) throw duplicatePhone(existing.id);
    throw error;
  }
}
