/**
 * The event types the server emits (src/domain/events/catalog.ts `EVENT_TYPES`, in its order; the
 * portal's browser test checks the two lists match), each with what it means to a receiver.
 */
export const EVENT_TYPES = [
  "message.sent",
  "message.received",
  "optOut",
  "doNotContact",
  "leadTagged",
  "notification",
  "lead.additionalInfo.updated",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const EVENT_DESCRIPTIONS: Record<EventType, string> = {
  "message.sent":
    "A message went out to a lead by SMS or email: a follow-up step, an assistant reply or one you sent.",
  "message.received": "A lead's SMS or email reply arrived.",
  optOut: "A lead opted out of a channel: STOP, an unsubscribe link, a bounce or a complaint.",
  doNotContact: "A lead was marked do-not-contact on every channel.",
  leadTagged: "A tag was put on a lead, by hand or from the conversation (for example isHot).",
  notification: "A notification rule fired for a lead.",
  "lead.additionalInfo.updated":
    "Values of a lead's additionalInfo changed; each change carries the old and new value.",
};

/** An endpoint's filter in words: `["*"]` is every event. */
export function describeEventFilter(events: string[]): string {
  return events.includes("*") ? "Every event (*)" : events.join(", ");
}
