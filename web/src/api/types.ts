/** Shapes of the `/v1` answers this app reads (see /openapi.json). */

export interface Session {
  orgId: string;
  keyId: string;
  isAdmin: boolean;
  expiresAt: string;
}

export type StepChannel = "text" | "email" | "call";

export interface FollowUpStepConfig {
  hours: number;
  channel: StepChannel;
}

/** `{ "1": {...}, "2": {...} }`: keys are step numbers, consecutive from 1. */
export type FollowUpConfig = Record<string, FollowUpStepConfig>;

export interface Lead {
  id: string;
  firstName: string;
  lastName: string;
  phone: string;
  email: string | null;
  timeZone: string | null;
  customerProfile: string;
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string | null;
  additionalInfo: Record<string, unknown>;
  hasReplied: boolean;
  isHot: boolean;
  isQualified: boolean;
  isUnsubscribed: boolean;
  isAiOn: boolean;
  tags: { id: string; name: string }[];
  summary: string | null;
  followUpConfig: FollowUpConfig;
  followUpStep: number;
  nextFollowUpAt: string | null;
}

export interface LeadPage {
  leads: Lead[];
  nextToken: string | null;
}

/** Fields `PATCH /v1/leads/{id}` changes here; `additionalInfo` merges (a key set to null is removed). */
export interface LeadChanges {
  isAiOn?: boolean;
  followUpStep?: number;
  additionalInfo?: Record<string, unknown>;
}

export interface Tag {
  id: string;
  name: string;
  color: string | null;
  condition?: string;
  isManual: boolean;
}

export interface DncStatus {
  phone: string;
  onList: boolean;
  addedAt: string | null;
}

export interface NewLead {
  firstName: string;
  lastName: string;
  phone: string;
  email?: string;
  customerProfile: string;
}

export interface Profile {
  id: string;
  name: string;
  description: string | null;
  smsEnabled: boolean;
  emailEnabled: boolean;
  initialMessage: string | null;
  followUpConfig: FollowUpConfig;
  instructions: string | null;
  initialOutreach: boolean;
  createdAt: string;
}

export interface NewProfile {
  name: string;
  description?: string;
  instructions?: string;
  smsEnabled: boolean;
  emailEnabled: boolean;
  initialOutreach: boolean;
  followUpConfig: FollowUpConfig;
}

export interface MessageTemplate {
  text: string;
  subject?: string;
}

/** A profile as `GET /v1/profiles/{id}` shows it, with its templates. */
export interface ProfileDetail extends Profile {
  voiceEnabled: boolean;
  initialSubject: string | null;
  /** Keyed by step number, like `followUpConfig`. */
  followUpTemplates: Record<string, MessageTemplate>;
  nurtureTemplate: MessageTemplate | null;
  bookingUrl: string | null;
  extract: string[];
  maxSmsLength: number;
  updatedAt: string;
}

/** `PATCH /v1/profiles/{id}`: the given fields replace the stored ones. */
export interface ProfileChanges {
  name: string;
  description: string | null;
  instructions: string | null;
  bookingUrl: string | null;
  smsEnabled: boolean;
  emailEnabled: boolean;
  initialOutreach: boolean;
  initialMessage: string | null;
  initialSubject: string | null;
  followUpConfig: FollowUpConfig;
  followUpTemplates: Record<string, MessageTemplate>;
  nurtureTemplate: MessageTemplate | null;
  maxSmsLength: number;
  extract: string[];
}

/** One entry of a lead's timeline; `data` depends on `type` and is read defensively. */
export interface TimelineEntry {
  id: string;
  type: string;
  timestamp: string;
  updatedAt: string;
  data: unknown;
}

export type MessageChannel = "sms" | "email";

export interface OutboundMessage {
  message: string;
  channel: MessageChannel;
  subject?: string;
  overrideBusinessHours: boolean;
  sendWhenOff: boolean;
}

// Developer Portal: webhook endpoints, deliveries, events and API keys.

export type DisabledReason = "manual" | "gone" | "failing";

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  /** `["*"]` or event type names. */
  events: string[];
  enabled: boolean;
  disabledReason: DisabledReason | null;
  disabledAt: string | null;
  maxConcurrency: number;
  rateLimitPerSecond: number | null;
  secretPrefix: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewEndpoint {
  url: string;
  events: string[];
  description?: string;
}

export interface EndpointChanges {
  events?: string[];
  enabled?: boolean;
}

/** The answer to a PATCH that re-enabled the endpoint names what it missed while it was off. */
export interface UpdatedEndpoint extends WebhookEndpoint {
  missed?: { since: string; events: number };
}

export type DeliveryStatus = "pending" | "succeeded" | "failed";

export interface Delivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

export interface DeliveryPage {
  deliveries: Delivery[];
  nextToken: string | null;
}

export interface DeliveryAttempt {
  id: string;
  deliveryId: string;
  attemptedAt: string;
  durationMs: number;
  statusCode: number | null;
  /** The first 4 KiB of the response body. */
  responseBody: string | null;
  error: string | null;
  succeeded: boolean;
}

export interface DeliveryDetail extends Omit<Delivery, "attempts"> {
  payload: Record<string, unknown>;
  /** Oldest first. */
  attempts: DeliveryAttempt[];
}

export interface StoredEvent {
  id: string;
  type: string;
  leadId: string | null;
  occurredAt: string;
  createdAt: string;
  payload: Record<string, unknown>;
}

export interface EventPage {
  events: StoredEvent[];
  nextToken: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  isAdmin: boolean;
  createdAt: string;
  lastUsedAt: string | null;
}
