import type { EventTypeName } from "../api/types";

/**
 * The event types, in the server's catalogue order, for the filter forms, which need the list
 * before any answer arrives. What each type means and its sample come from the server
 * (`GET /v1/webhooks/event-types`, `useEventTypes`); the catalogue and the test-event form use that.
 */
export const EVENT_TYPES = [
  "message.sent",
  "message.received",
  "optOut",
  "doNotContact",
  "leadTagged",
  "notification",
  "lead.additionalInfo.updated",
] as const satisfies readonly EventTypeName[];

type Unlisted = Exclude<EventTypeName, (typeof EVENT_TYPES)[number]>;
/** Compiles only while the list holds every type the server has (its types come from `npm run api-types`). */
export const LISTS_EVERY_EVENT_TYPE: [Unlisted] extends [never] ? true : Unlisted = true;

/** An endpoint's filter in words: `["*"]` is every event. */
export function describeEventFilter(events: string[]): string {
  return events.includes("*") ? "Every event (*)" : events.join(", ");
}
