import {
  additionalInfoUpdatedData,
  doNotContactData,
  EVENT_TYPES,
  type EventDataByType,
  type EventType,
  type LeadRef,
  leadTaggedData,
  messageReceivedData,
  messageSentData,
  notificationData,
  optOutData,
  serializeEnvelope,
} from "./catalog.js";

/**
 * The one place that says what each event type means and what a payload of it looks like: the
 * event catalogue (`GET /v1/webhooks/event-types`) and test sends to an endpoint both read it.
 * Payloads are built by the builders of real events, so a sample has the exact shape receivers get.
 */

const lead: LeadRef = {
  leadId: "00000000-0000-7000-8000-000000000000",
  externalLeadId: "003XX000004DHPY",
  phone: "+12025550189",
};
const profile = "Sample Profile";
const text = "This is a test event from Leadwire.";
const subject = "Test event from Leadwire";

interface TypeEntry<T extends EventType> {
  description: string;
  sampleData: () => EventDataByType[T];
}

// Messages are emails so the optional `content.subject` shows up too.
const entries: { [T in EventType]: TypeEntry<T> } = {
  "message.sent": {
    description:
      "A message went out to a lead by SMS or email: a follow-up step, an assistant reply or one you sent.",
    sampleData: () => messageSentData({ lead, channel: "email", profile, followUpStep: 1, subject, text }),
  },
  "message.received": {
    description: "A lead's SMS or email reply arrived.",
    sampleData: () => messageReceivedData({ lead, channel: "email", profile, subject, text }),
  },
  optOut: {
    description: "A lead opted out of a channel: STOP, an unsubscribe link, a bounce or a complaint.",
    sampleData: () =>
      optOutData({
        lead,
        channel: "sms",
        optOutReason: null,
        isTwilioOptOut: true,
        optOutMessage: "STOP",
        isDoNotContact: false,
      }),
  },
  doNotContact: {
    description: "A lead asked to stop all contact and was marked do-not-contact on every channel.",
    sampleData: () =>
      doNotContactData({
        lead,
        email: "sample.lead@example.com",
        optOutMessage: "Please stop contacting me.",
      }),
  },
  leadTagged: {
    description: "A tag was put on a lead, by hand or from the conversation (for example isHot).",
    sampleData: () => leadTaggedData({ lead, channel: "manual", tag: "isHot" }),
  },
  notification: {
    description: "A notification rule matched a lead's conversation.",
    sampleData: () =>
      notificationData({
        lead,
        channel: "sms",
        notificationName: "Sample notification",
        notificationMessage: text,
      }),
  },
  "lead.additionalInfo.updated": {
    description: "Values of a lead's additionalInfo changed; each change carries the old and new value.",
    sampleData: () =>
      additionalInfoUpdatedData({
        lead,
        changes: { projectType: { old: null, new: "Roof repair" }, timeline: { old: "Q3", new: "Q4" } },
      }),
  },
};

/** The body a receiver gets for a sample event of `type`, with this id and time. */
export function samplePayload<T extends EventType>(type: T, eventId: string, at: Date): string {
  // Viewed through a mapped type so indexing by a generic type keeps its link to that type.
  const byType: { [K in EventType]: TypeEntry<K> } = entries;
  return serializeEnvelope(type, eventId, byType[type].sampleData(), at);
}

/** Fixed, so the catalogue reads the same every time (the id is 32 lowercase hex, as real ones). */
const CATALOGUE_EVENT_ID = "0190f5a8c3e47b2a9d1e6f3c5b7a9d2e";
const CATALOGUE_TIME = new Date("2024-01-15T14:30:00Z");

export interface EventTypeInfo {
  type: EventType;
  description: string;
  /** A full webhook body of the type, as a receiver gets it (key order included). */
  sample: string;
}

/** Every event type, in catalogue order, with what it means and a sample body. */
export function eventTypeCatalogue(): EventTypeInfo[] {
  return EVENT_TYPES.map((type) => ({
    type,
    description: entries[type].description,
    sample: samplePayload(type, CATALOGUE_EVENT_ID, CATALOGUE_TIME),
  }));
}
