import {
  keepPreviousData,
  type QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { apiRequest } from "./http";
import { queryKeys } from "./queryKeys";
import type {
  DncStatus,
  Lead,
  LeadChanges,
  LeadPage,
  NewLead,
  OutboundMessage,
  TimelineEntry,
  TimelinePage,
} from "./types";

const EPOCH = "1970-01-01T00:00:00Z";
const PAGE_SIZE = "50";
const TIMELINE_PAGE_SIZE = "200";
/** A thread longer than this many pages is shown up to here (the rest waits for a later slice). */
const TIMELINE_MAX_PAGES = 10;

const leadPath = (leadId: string) => `/v1/leads/${encodeURIComponent(leadId)}`;

/** A page of `GET /v1/leads/search`: `query` holds the filters and page token (see leads/leadFilters). */
export function useLeadSearch(query: string) {
  return useQuery({
    queryKey: queryKeys.leadsSearch(query),
    queryFn: () => {
      const params = new URLSearchParams(query);
      params.set("limit", PAGE_SIZE);
      return apiRequest<LeadPage>(`/v1/leads/search?${params}`);
    },
    placeholderData: keepPreviousData,
  });
}

export function useLead(leadId: string) {
  return useQuery({
    queryKey: queryKeys.lead(leadId),
    queryFn: () => apiRequest<Lead>(leadPath(leadId)),
    refetchInterval: 5_000,
  });
}

async function fetchTimeline(
  leadId: string,
  types: readonly string[],
): Promise<{ entries: TimelineEntry[]; complete: boolean }> {
  const entries: TimelineEntry[] = [];
  let nextToken: string | null = null;
  for (let page = 0; page < TIMELINE_MAX_PAGES; page++) {
    const query = new URLSearchParams({ since: EPOCH, limit: TIMELINE_PAGE_SIZE });
    if (types.length > 0) query.set("types", types.join(","));
    if (nextToken !== null) query.set("nextToken", nextToken);
    const answer: TimelinePage = await apiRequest(`${leadPath(leadId)}/events?${query}`);
    entries.push(...answer.events);
    nextToken = answer.nextToken;
    if (nextToken === null) break;
  }
  return { entries, complete: nextToken === null };
}

/** The lead's timeline (only `types`, when any are given), polled so new messages appear without a reload. */
export function useLeadTimeline(leadId: string, types: readonly string[] = []) {
  return useQuery({
    queryKey: [...queryKeys.leadTimeline(leadId), types.join(",")],
    queryFn: () => fetchTimeline(leadId, types),
    refetchInterval: 2_000,
    placeholderData: keepPreviousData,
  });
}

export function useCreateLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (lead: NewLead) =>
      apiRequest<{ id: string }>("/v1/leads/create", { method: "POST", body: lead }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.allLeads }),
  });
}

/** After a change to one lead: the lead, its timeline and every list it may appear in. */
function invalidateLead(queryClient: QueryClient, leadId: string) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.lead(leadId) }),
    queryClient.invalidateQueries({ queryKey: queryKeys.allLeads }),
  ]);
}

export function useUpdateLead(leadId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: LeadChanges) =>
      apiRequest<unknown>(leadPath(leadId), { method: "PATCH", body: changes }),
    onSuccess: () => invalidateLead(queryClient, leadId),
  });
}

/** `PUT /v1/leads/{id}/tags`: the lead's tags become exactly these. */
export function useReplaceLeadTags(leadId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tagIds: string[]) =>
      apiRequest<{ tags: { id: string; name: string }[] }>(`${leadPath(leadId)}/tags`, {
        method: "PUT",
        body: { tagIds },
      }),
    onSuccess: () => invalidateLead(queryClient, leadId),
  });
}

/** Whether the phone is on the org's do-not-contact list. */
export function useDncStatus(phone: string) {
  return useQuery({
    queryKey: queryKeys.dnc(phone),
    queryFn: () => apiRequest<DncStatus>(`/v1/dnc/${encodeURIComponent(phone)}`),
  });
}

/** `POST /v1/leads/{id}/doNotContact`: every channel stops and the phone goes on the list. */
export function useDoNotContact(lead: { id: string; phone: string }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiRequest<{ message: string }>(`${leadPath(lead.id)}/doNotContact`, { method: "POST" }),
    onSuccess: () =>
      Promise.all([
        invalidateLead(queryClient, lead.id),
        queryClient.invalidateQueries({ queryKey: queryKeys.dnc(lead.phone) }),
      ]),
  });
}

export function useSendMessage(leadId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (message: OutboundMessage) =>
      apiRequest<{ messageId: string; scheduledFor: string }>(`${leadPath(leadId)}/sendMessage`, {
        method: "POST",
        body: message,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.leadTimeline(leadId) }),
  });
}
