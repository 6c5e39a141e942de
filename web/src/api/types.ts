/** Shapes of the `/v1` answers this app reads, from the generated OpenAPI types (openapi.d.ts). */
import type { ElementOf, RequestBodyOf, ResponseOf } from "./openapiHelpers";

export type Session = ResponseOf<"/v1/sessions/current", "get">;

/** `GET /v1/leads/{id}`. */
export type Lead = ResponseOf<"/v1/leads/{leadId}", "get">;

/** A page of `GET /v1/leads/search`. */
export type LeadPage = ResponseOf<"/v1/leads/search", "get">;

/** `{ "1": {...}, "2": {...} }`: keys are step numbers, consecutive from 1. */
export type FollowUpConfig = Lead["followUpConfig"];

export type FollowUpStepConfig = FollowUpConfig[string];

export type StepChannel = FollowUpStepConfig["channel"];

/** Fields `PATCH /v1/leads/{id}` changes; `additionalInfo` merges (a key set to null is removed). */
export type LeadChanges = RequestBodyOf<"/v1/leads/{leadId}", "patch">;

export type Tag = ElementOf<ResponseOf<"/v1/tags", "get">["tags"]>;

export type NewTag = RequestBodyOf<"/v1/tags", "post">;

/** `PATCH /v1/tags/{id}`: the given fields replace the stored ones; `condition: null` clears it. */
export type TagChanges = RequestBodyOf<"/v1/tags/{tagId}", "patch">;

export type DncStatus = ResponseOf<"/v1/dnc/{phone}", "get">;

export type NewLead = RequestBodyOf<"/v1/leads/create", "post">;

/** A profile as `GET /v1/profiles` lists it. */
export type Profile = ElementOf<ResponseOf<"/v1/profiles", "get">["profiles"]>;

export type NewProfile = RequestBodyOf<"/v1/profiles", "post">;

/** A profile as `GET /v1/profiles/{id}` shows it, with its templates. */
export type ProfileDetail = ResponseOf<"/v1/profiles/{profileId}", "get">;

export type MessageTemplate = NonNullable<ProfileDetail["nurtureTemplate"]>;

/** `PATCH /v1/profiles/{id}`: the given fields replace the stored ones. */
export type ProfileChanges = RequestBodyOf<"/v1/profiles/{profileId}", "patch">;

/** A page of a lead's timeline, `GET /v1/leads/{id}/events`. */
export type TimelinePage = ResponseOf<"/v1/leads/{leadId}/events", "get">;

/** One entry of a lead's timeline; `data` depends on `type` and is read defensively. */
export type TimelineEntry = ElementOf<TimelinePage["events"]>;

export type OutboundMessage = RequestBodyOf<"/v1/leads/{leadId}/sendMessage", "post">;

export type MessageChannel = OutboundMessage["channel"];

// Developer Portal: webhook endpoints, deliveries, events and API keys.

export type WebhookEndpoint = ResponseOf<"/v1/webhooks/endpoints/{endpointId}", "get">;

export type DisabledReason = NonNullable<WebhookEndpoint["disabledReason"]>;

export type NewEndpoint = RequestBodyOf<"/v1/webhooks/endpoints", "post">;

export type EndpointChanges = RequestBodyOf<"/v1/webhooks/endpoints/{endpointId}", "patch">;

/** The answer to a PATCH that re-enabled the endpoint names what it missed while it was off. */
export type UpdatedEndpoint = ResponseOf<"/v1/webhooks/endpoints/{endpointId}", "patch">;

export type DeliveryPage = ResponseOf<"/v1/webhooks/deliveries", "get">;

export type Delivery = ElementOf<DeliveryPage["deliveries"]>;

export type DeliveryStatus = Delivery["status"];

/** One delivery with its payload and its attempts, oldest first. */
export type DeliveryDetail = ResponseOf<"/v1/webhooks/deliveries/{deliveryId}", "get">;

export type DeliveryAttempt = ElementOf<DeliveryDetail["attempts"]>;

/** One type of the event catalogue, with what it means and a sample body. */
export type EventTypeInfo = ElementOf<ResponseOf<"/v1/webhooks/event-types", "get">["eventTypes"]>;

export type EventTypeName = EventTypeInfo["type"];

export type EventPage = ResponseOf<"/v1/events", "get">;

export type StoredEvent = ElementOf<EventPage["events"]>;

export type ApiKey = ElementOf<ResponseOf<"/v1/api-keys", "get">["apiKeys"]>;

/** The answer to `POST /v1/api-keys`: the only time the key itself is shown. */
export type NewApiKey = ResponseOf<"/v1/api-keys", "post", 201>;
