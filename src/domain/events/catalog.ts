/**
 * Builders for every webhook payload of spec/events.md. Key order is part of the contract
 * (receivers compare bodies byte for byte), so each builder writes keys in the documented order
 * and leaves out optional keys instead of sending null, unless the spec says null.
 */

export type Channel = "sms" | "email";

export interface LeadRef {
  leadId: string;
  externalLeadId: string | null;
  phone: string;
}

function leadFields(lead: LeadRef): { leadId: string; externalLeadId?: string; phone: string } {
  return lead.externalLeadId === null
    ? { leadId: lead.leadId, phone: lead.phone }
    : { leadId: lead.leadId, externalLeadId: lead.externalLeadId, phone: lead.phone };
}

export interface Content {
  subject?: string;
  text: string;
}

function content(channel: Channel, subject: string | undefined, text: string): Content {
  return channel === "email" && subject !== undefined ? { subject, text } : { text };
}

export function messageSentData(input: {
  lead: LeadRef;
  channel: Channel;
  profile: string;
  followUpStep: number | null;
  subject?: string;
  text: string;
}) {
  return {
    ...leadFields(input.lead),
    channel: input.channel,
    profile: input.profile,
    isFollowUp: input.followUpStep !== null,
    followUpStep: input.followUpStep,
    content: content(input.channel, input.subject, input.text),
  };
}

export function messageReceivedData(input: {
  lead: LeadRef;
  channel: Channel;
  profile: string;
  subject?: string;
  text: string;
}) {
  return {
    ...leadFields(input.lead),
    channel: input.channel,
    profile: input.profile,
    content: content(input.channel, input.subject, input.text),
  };
}

export type OptOutReason = "MANUAL" | "COMPLAINT" | "BOUNCE" | "UNSUBSCRIBE_LINK";

export function optOutData(input: {
  lead: LeadRef;
  channel: Channel | "call";
  optOutReason: OptOutReason | null;
  isTwilioOptOut: boolean | null;
  optOutMessage?: string;
  isDoNotContact: boolean;
}) {
  return {
    ...leadFields(input.lead),
    channel: input.channel,
    optOutReason: input.channel === "email" ? input.optOutReason : null,
    isTwilioOptOut: input.channel === "email" ? null : input.isTwilioOptOut,
    ...(input.optOutMessage === undefined ? {} : { optOutMessage: input.optOutMessage }),
    isDoNotContact: input.isDoNotContact,
  };
}

export function doNotContactData(input: {
  lead: LeadRef;
  email: string | null;
  optOutMessage: string | null;
}) {
  return { ...leadFields(input.lead), email: input.email, optOutMessage: input.optOutMessage };
}

export function leadTaggedData(input: { lead: LeadRef; channel: Channel | "call" | "manual"; tag: string }) {
  return { ...leadFields(input.lead), channel: input.channel, tag: input.tag };
}

export function notificationData(input: {
  lead: LeadRef;
  channel: Channel | "call";
  notificationName: string;
  notificationMessage: string;
}) {
  return {
    leadId: input.lead.leadId,
    phone: input.lead.phone,
    channel: input.channel,
    notificationName: input.notificationName,
    notificationMessage: input.notificationMessage,
  };
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface AdditionalInfoChange {
  old: JsonValue;
  new: JsonValue;
}

export function additionalInfoUpdatedData(input: {
  lead: LeadRef;
  changes: Record<string, AdditionalInfoChange>;
}) {
  return {
    leadId: input.lead.leadId,
    phone: input.lead.phone,
    ...(input.lead.externalLeadId === null ? {} : { externalLeadId: input.lead.externalLeadId }),
    additionalInfo: input.changes,
  };
}

export interface EventDataByType {
  "message.sent": ReturnType<typeof messageSentData>;
  "message.received": ReturnType<typeof messageReceivedData>;
  optOut: ReturnType<typeof optOutData>;
  doNotContact: ReturnType<typeof doNotContactData>;
  leadTagged: ReturnType<typeof leadTaggedData>;
  notification: ReturnType<typeof notificationData>;
  "lead.additionalInfo.updated": ReturnType<typeof additionalInfoUpdatedData>;
}

export type EventType = keyof EventDataByType;

export const EVENT_TYPES: readonly EventType[] = [
  "message.sent",
  "message.received",
  "optOut",
  "doNotContact",
  "leadTagged",
  "notification",
  "lead.additionalInfo.updated",
];

/** ISO 8601 UTC with whole seconds and a `Z`, as the envelope requires. */
export function envelopeTimestamp(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/** The exact body receivers get. Only `lead.additionalInfo.updated` carries `eventId`. */
export function serializeEnvelope<T extends EventType>(
  type: T,
  eventId: string,
  data: EventDataByType[T],
  at: Date,
): string {
  const envelope =
    type === "lead.additionalInfo.updated"
      ? { event: type, eventId, data, timestamp: envelopeTimestamp(at) }
      : { event: type, data, timestamp: envelopeTimestamp(at) };
  return JSON.stringify(envelope);
}
