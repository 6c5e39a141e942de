/**
 * The webhook payloads of spec/events.md as zod schemas: an independent statement of the
 * contract, so tests can check what the builders of catalog.ts produce (and receivers' fixtures
 * can be validated) without trusting the builders themselves. Every object is strict, so a key
 * the contract does not name fails, and keys the contract "omits when unknown" are `.optional()`,
 * never nullable: a `null` where the key must be absent is a contract break too.
 */
import { z } from "zod";
import type { EventType } from "../src/domain/events/catalog.js";

const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, "whole-second UTC with Z");
const eventId = z.string().regex(/^[0-9a-f]{32}$/, "32 lowercase hex characters");
// The spec's own example id is not a UUID, so a lead id is only required to be present.
const leadId = z.string().min(1);
const e164 = z.string().regex(/^\+[1-9]\d{1,14}$/, "E.164");

const leadFields = {
  leadId,
  externalLeadId: z.string().optional(),
  phone: e164,
};

const smsContent = z.strictObject({ text: z.string() });
// A subject is kept when the email had one; an email without one (an inbound reply, say) omits it.
const emailContent = z.strictObject({ subject: z.string().optional(), text: z.string() });

function messageSentVariant<C extends "sms" | "email", S extends z.ZodType>(channel: C, content: S) {
  return z.strictObject({
    ...leadFields,
    channel: z.literal(channel),
    profile: z.string(),
    isFollowUp: z.boolean(),
    followUpStep: z.number().int().positive().nullable(),
    content,
  });
}

// A step number without a follow-up (or the reverse) would mislead receivers that branch on either field.
const messageSentData = z
  .discriminatedUnion("channel", [
    messageSentVariant("sms", smsContent),
    messageSentVariant("email", emailContent),
  ])
  .refine((data) => data.isFollowUp === (data.followUpStep !== null), {
    path: ["followUpStep"],
    message: "is a step number exactly when isFollowUp is true, else null",
  });

const messageReceivedData = z.discriminatedUnion("channel", [
  z.strictObject({ ...leadFields, channel: z.literal("sms"), profile: z.string(), content: smsContent }),
  z.strictObject({ ...leadFields, channel: z.literal("email"), profile: z.string(), content: emailContent }),
]);

const optOutReason = z.enum(["MANUAL", "COMPLAINT", "BOUNCE", "UNSUBSCRIBE_LINK"]);
const optOutTail = { optOutMessage: z.string().optional(), isDoNotContact: z.boolean() };

// The reason belongs to email and the carrier flag to SMS; each is null on the channels it does not describe.
const optOutData = z.discriminatedUnion("channel", [
  z.strictObject({
    ...leadFields,
    channel: z.literal("email"),
    optOutReason,
    isTwilioOptOut: z.null(),
    ...optOutTail,
  }),
  z.strictObject({
    ...leadFields,
    channel: z.literal("sms"),
    optOutReason: z.null(),
    isTwilioOptOut: z.boolean(),
    ...optOutTail,
  }),
  z.strictObject({
    ...leadFields,
    channel: z.literal("call"),
    optOutReason: z.null(),
    isTwilioOptOut: z.boolean().nullable(),
    ...optOutTail,
  }),
]);

const doNotContactData = z.strictObject({
  ...leadFields,
  email: z.string().nullable(),
  optOutMessage: z.string().nullable(),
});

const leadTaggedData = z.strictObject({
  ...leadFields,
  channel: z.enum(["sms", "email", "call", "manual"]),
  tag: z.string().min(1),
});

const notificationData = z.strictObject({
  leadId,
  phone: e164,
  channel: z.enum(["sms", "email", "call"]),
  notificationName: z.string(),
  notificationMessage: z.string(),
});

const additionalInfoUpdatedData = z.strictObject({
  leadId,
  phone: e164,
  externalLeadId: z.string().optional(),
  additionalInfo: z.record(z.string(), z.strictObject({ old: z.json(), new: z.json() })),
});

function envelope<T extends EventType, D extends z.ZodType>(type: T, data: D) {
  return z.strictObject({ event: z.literal(type), data, timestamp });
}

export const eventSchemaByType = {
  "message.sent": envelope("message.sent", messageSentData),
  "message.received": envelope("message.received", messageReceivedData),
  optOut: envelope("optOut", optOutData),
  doNotContact: envelope("doNotContact", doNotContactData),
  leadTagged: envelope("leadTagged", leadTaggedData),
  notification: envelope("notification", notificationData),
  "lead.additionalInfo.updated": z.strictObject({
    event: z.literal("lead.additionalInfo.updated"),
    eventId,
    data: additionalInfoUpdatedData,
    timestamp,
  }),
} satisfies Record<EventType, z.ZodType>;

export type EventEnvelope<T extends EventType> = z.output<(typeof eventSchemaByType)[T]>;

/** Parses a stored or received body and checks it against its type's contract; throws when it breaks it. */
export function parseEventBody<T extends EventType>(type: T, json: string): EventEnvelope<T> {
  // Viewed through a mapped type so indexing by a generic type keeps its link to that type.
  const schemas: { [K in EventType]: z.ZodType<EventEnvelope<K>> } = eventSchemaByType;
  return schemas[type].parse(JSON.parse(json));
}
