/** One key per resource, so a mutation can invalidate exactly what it changed. */
export const queryKeys = {
  session: ["session"] as const,
  allLeads: ["leads"] as const,
  /** A page of the lead search: its query string (filters and page token). */
  leadsSearch: (query: string) => ["leads", "search", query] as const,
  /** Every lead's detail and timeline sit under this prefix. */
  allLeadDetails: ["lead"] as const,
  lead: (leadId: string) => ["lead", leadId] as const,
  leadTimeline: (leadId: string) => ["lead", leadId, "timeline"] as const,
  profiles: ["profiles"] as const,
  profile: (profileId: string) => ["profiles", "detail", profileId] as const,
  allMessages: ["messages"] as const,
  unknownMessages: (limit: number) => ["messages", "unknown", limit] as const,
  tags: ["tags"] as const,
  dnc: (phone: string) => ["dnc", phone] as const,
  statsOverview: ["stats", "overview"] as const,
  statsDaily: (days: number) => ["stats", "daily", days] as const,
  statsDeliveriesHourly: (hours: number) => ["stats", "deliveriesHourly", hours] as const,
  settings: ["settings"] as const,
  webhookEndpoints: ["webhookEndpoints"] as const,
  /** Every delivery query (log pages, details, per-endpoint counts) sits under this prefix. */
  allDeliveries: ["webhookDeliveries"] as const,
  deliveriesPage: (query: string) => ["webhookDeliveries", "page", query] as const,
  delivery: (deliveryId: string) => ["webhookDeliveries", "detail", deliveryId] as const,
  endpointDeliveryCounts: (endpointId: string) => ["webhookDeliveries", "counts", endpointId] as const,
  endpointDeliveriesHourly: (endpointId: string, hours: number) =>
    ["webhookDeliveries", "hourly", endpointId, hours] as const,
  eventTypes: ["eventTypes"] as const,
  eventsPage: (query: string) => ["events", "page", query] as const,
  latestEvent: (type: string) => ["events", "latest", type] as const,
  apiKeys: ["apiKeys"] as const,
};
