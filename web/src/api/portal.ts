import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "./http";
import { queryKeys } from "./queryKeys";
import type {
  ApiKey,
  Delivery,
  DeliveryAttempt,
  DeliveryDetail,
  DeliveryPage,
  DeliveryStatus,
  EndpointChanges,
  EventPage,
  EventTypeInfo,
  NewEndpoint,
  StoredEvent,
  UpdatedEndpoint,
  WebhookEndpoint,
} from "./types";

/** The Developer Portal's calls: webhook endpoints, deliveries, the event log and API keys. */

const LOG_PAGE_SIZE = "50";
/** How many of an endpoint's latest deliveries its health counts are taken from. */
export const COUNTED_DELIVERIES = 100;

const endpointPath = (endpointId: string) => `/v1/webhooks/endpoints/${encodeURIComponent(endpointId)}`;
const deliveryPath = (deliveryId: string) => `/v1/webhooks/deliveries/${encodeURIComponent(deliveryId)}`;

// Endpoints

export function useEndpoints() {
  return useQuery({
    queryKey: queryKeys.webhookEndpoints,
    queryFn: async () =>
      (await apiRequest<{ endpoints: WebhookEndpoint[] }>("/v1/webhooks/endpoints")).endpoints,
  });
}

export function useCreateEndpoint() {
  const queryClient = useQueryClient();
  return useMutation({
    gcTime: 0, // the answer holds a secret: drop it from the cache at once
    mutationFn: (endpoint: NewEndpoint) =>
      apiRequest<WebhookEndpoint & { secret: string }>("/v1/webhooks/endpoints", {
        method: "POST",
        body: endpoint,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.webhookEndpoints }),
  });
}

export function useUpdateEndpoint(endpointId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: EndpointChanges) =>
      apiRequest<UpdatedEndpoint>(endpointPath(endpointId), { method: "PATCH", body: changes }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.webhookEndpoints }),
  });
}

export function useDeleteEndpoint(endpointId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<{ message: string }>(endpointPath(endpointId), { method: "DELETE" }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.webhookEndpoints }),
        queryClient.invalidateQueries({ queryKey: queryKeys.allDeliveries }),
      ]),
  });
}

/** The new secret is in the answer only; callers show it once and keep it nowhere else. */
export function useRotateSecret(endpointId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    gcTime: 0, // the answer holds a secret: drop it from the cache at once
    mutationFn: () =>
      apiRequest<{ secret: string; previousSecretExpiresAt: string }>(
        `${endpointPath(endpointId)}/rotate-secret`,
        { method: "POST" },
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.webhookEndpoints }),
  });
}

/** Sends a sample event of `eventType` to the endpoint now; the answer is the attempt. */
export function useSendTestEvent(endpointId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (eventType: string) =>
      apiRequest<DeliveryAttempt>(`${endpointPath(endpointId)}/test`, {
        method: "POST",
        body: { eventType },
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.allDeliveries }),
  });
}

export function useRecoverEndpoint(endpointId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (since: string) =>
      apiRequest<{ recovered: number }>(`${endpointPath(endpointId)}/recover`, {
        method: "POST",
        body: { since },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.allDeliveries }),
  });
}

export interface DeliveryCounts {
  counted: number;
  succeeded: number;
  failed: number;
  pending: number;
}

/** Status counts of the endpoint's latest deliveries: the API has no aggregate of its own. */
export function useEndpointDeliveryCounts(endpointId: string) {
  return useQuery({
    queryKey: queryKeys.endpointDeliveryCounts(endpointId),
    queryFn: async (): Promise<DeliveryCounts> => {
      const query = new URLSearchParams({ endpointId, limit: String(COUNTED_DELIVERIES) });
      const { deliveries } = await apiRequest<DeliveryPage>(`/v1/webhooks/deliveries?${query}`);
      const count = (status: DeliveryStatus) => deliveries.filter((d) => d.status === status).length;
      return {
        counted: deliveries.length,
        succeeded: count("succeeded"),
        failed: count("failed"),
        pending: count("pending"),
      };
    },
  });
}

// Deliveries

export interface DeliveryQuery {
  endpointId?: string;
  eventType?: string;
  status?: string;
  /** ISO 8601, inclusive. */
  since?: string;
  /** ISO 8601, exclusive. */
  until?: string;
  nextToken?: string;
}

export function useDeliveriesPage(filters: DeliveryQuery) {
  const query = new URLSearchParams({ limit: LOG_PAGE_SIZE });
  for (const [name, value] of Object.entries(filters)) {
    if (value !== undefined && value !== "") query.set(name, value);
  }
  const search = query.toString();
  return useQuery({
    queryKey: queryKeys.deliveriesPage(search),
    queryFn: () => apiRequest<DeliveryPage>(`/v1/webhooks/deliveries?${search}`),
    refetchInterval: 5_000,
  });
}

/** One delivery with its payload and attempts; polled while it waits for an attempt. */
export function useDelivery(deliveryId: string) {
  return useQuery({
    queryKey: queryKeys.delivery(deliveryId),
    queryFn: () => apiRequest<DeliveryDetail>(deliveryPath(deliveryId)),
    refetchInterval: (query) => (query.state.data?.status === "pending" ? 2_000 : false),
  });
}

export function useRetryDelivery(deliveryId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiRequest<{ message: string; delivery: Delivery }>(`${deliveryPath(deliveryId)}/retry`, {
        method: "POST",
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.allDeliveries }),
  });
}

// Events

/** The event catalogue: every type with what it means and a sample body. It changes only with the server. */
export function useEventTypes() {
  return useQuery({
    queryKey: queryKeys.eventTypes,
    queryFn: async () =>
      (await apiRequest<{ eventTypes: EventTypeInfo[] }>("/v1/webhooks/event-types")).eventTypes,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useEventsPage(filters: { type?: string; since?: string; nextToken?: string }) {
  const query = new URLSearchParams({ limit: LOG_PAGE_SIZE });
  for (const [name, value] of Object.entries(filters)) {
    if (value !== undefined && value !== "") query.set(name, value);
  }
  const search = query.toString();
  return useQuery({
    queryKey: queryKeys.eventsPage(search),
    queryFn: () => apiRequest<EventPage>(`/v1/events?${search}`),
  });
}

const HOUR_MS = 3_600_000;
/** Windows back from now, narrowest first; `null` is everything still stored. */
const LATEST_WINDOWS_MS = [HOUR_MS, 24 * HOUR_MS, 7 * 24 * HOUR_MS, 30 * 24 * HOUR_MS, null];
const LATEST_MAX_PAGES = 5;

export interface LatestEvent {
  event: StoredEvent | null;
  /** False when the window held more events than were read: then the event is recent, not the latest. */
  isLatest: boolean;
}

/**
 * The newest stored event of a type. The event log is oldest first with no reverse order, so this
 * reads the narrowest window back from now that holds any event of the type, to its end.
 */
async function fetchLatestEvent(type: string): Promise<LatestEvent> {
  for (const windowMs of LATEST_WINDOWS_MS) {
    let nextToken: string | null = null;
    let last: StoredEvent | null = null;
    for (let page = 0; page < LATEST_MAX_PAGES; page++) {
      const query = new URLSearchParams({ type, limit: "1000" });
      if (windowMs !== null) query.set("since", new Date(Date.now() - windowMs).toISOString());
      if (nextToken !== null) query.set("nextToken", nextToken);
      const answer: EventPage = await apiRequest(`/v1/events?${query}`);
      last = answer.events.at(-1) ?? last;
      nextToken = answer.nextToken;
      if (nextToken === null) break;
    }
    if (last !== null) return { event: last, isLatest: nextToken === null };
  }
  return { event: null, isLatest: true };
}

export function useLatestEvent(type: string) {
  return useQuery({
    queryKey: queryKeys.latestEvent(type),
    queryFn: () => fetchLatestEvent(type),
    staleTime: 60_000,
  });
}

// API keys

export function useApiKeys() {
  return useQuery({
    queryKey: queryKeys.apiKeys,
    queryFn: async () => (await apiRequest<{ apiKeys: ApiKey[] }>("/v1/api-keys")).apiKeys,
  });
}

/** The key itself is in the answer only; callers show it once and keep it nowhere else. */
export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    gcTime: 0, // the answer holds a secret: drop it from the cache at once
    mutationFn: (input: { name: string; isAdmin: boolean }) =>
      apiRequest<ApiKey & { key: string }>("/v1/api-keys", { method: "POST", body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) =>
      apiRequest<{ message: string }>(`/v1/api-keys/${encodeURIComponent(keyId)}`, { method: "DELETE" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });
}
