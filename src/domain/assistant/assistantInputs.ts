import type { Tx } from "../context.js";
import { leadAdditionalInfo, profileExtractKeys } from "../jsonColumns.js";
import { type LeadRow, selectLeadRows } from "../leads/leadView.js";
import type { Settings } from "../settings/settingsSchema.js";
import type { AssistantLead, AssistantProfile, ConversationTurn } from "./assistant.js";

/** How much of the conversation a brain sees: enough for context, bounded for cost. */
const CONVERSATION_TURNS = 30;

/** Statuses of outbound messages the lead has (or may have) received. */
const REACHED = ["sending", "sent", "delivered", "unknown"] as const;

export interface AssistantInputs {
  row: LeadRow;
  lead: AssistantLead;
  profile: AssistantProfile;
  maxSmsLength: number;
  settings: Settings;
  conversation: ConversationTurn[];
  /** Whether the lead has ever been sent an SMS (the opt-out line goes on the first one). */
  hasHadSms: boolean;
}

/**
 * What a brain needs about a lead, read outside any long transaction (a model call may take
 * seconds): the lead, its profile's voice, the org's `settings` (the caller's: getSettings shares
 * one read among concurrent jobs) and the recent conversation. Undefined when the lead is gone.
 */
export async function loadAssistantInputs(
  tx: Tx,
  orgId: string,
  leadId: string,
  settings: Settings,
): Promise<AssistantInputs | undefined> {
  const row = await selectLeadRows(tx, orgId).where("leads.id", "=", leadId).executeTakeFirst();
  if (row === undefined || row.deleted_at !== null) return undefined;
  const profileRow = await tx
    .selectFrom("profiles")
    .select(["name", "description", "instructions", "booking_url", "extract_keys", "max_sms_length"])
    .where("id", "=", row.profile_id)
    .executeTakeFirstOrThrow();
  const turns = await tx
    .selectFrom("messages")
    .select(["direction", "channel", "text", "subject", "created_at", "status"])
    .where("lead_id", "=", leadId)
    .where((eb) => eb.or([eb("direction", "=", "inbound"), eb("status", "in", REACHED)]))
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(CONVERSATION_TURNS)
    .execute();
  // The turns hold every outbound message the lead was reached by, newest first: when they hold
  // an SMS, or are fewer than asked for (so hold them all), they answer without another read.
  const hasHadSms =
    turns.some((turn) => turn.direction === "outbound" && turn.channel === "sms") ||
    (turns.length === CONVERSATION_TURNS &&
      (await tx
        .selectFrom("messages")
        .select("id")
        .where("lead_id", "=", leadId)
        .where("direction", "=", "outbound")
        .where("channel", "=", "sms")
        .where("status", "in", REACHED)
        .limit(1)
        .executeTakeFirst()) !== undefined);
  return {
    row,
    lead: {
      firstName: row.first_name,
      lastName: row.last_name,
      timeZone: row.time_zone,
      additionalInfo: leadAdditionalInfo.read(row.additional_info, row.id),
      summary: row.summary,
    },
    profile: {
      name: profileRow.name,
      description: profileRow.description,
      instructions: profileRow.instructions,
      bookingUrl: profileRow.booking_url,
      extract: profileExtractKeys.read(profileRow.extract_keys, row.profile_id),
      assistantName: settings.assistantName,
      discloseAi: settings.assistant.discloseAi,
    },
    maxSmsLength: profileRow.max_sms_length,
    settings,
    conversation: turns.reverse().map((turn) => ({
      direction: turn.direction,
      channel: turn.channel,
      text: turn.text,
      subject: turn.subject,
      at: turn.created_at,
    })),
    hasHadSms,
  };
}
