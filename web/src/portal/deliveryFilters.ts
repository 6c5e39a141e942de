import type { DeliveryQuery } from "../api/portal";

/** The deliveries log's filters and page, as they sit in the URL's search params. */
export interface DeliveryFilters {
  endpoint: string;
  type: string;
  status: string;
  /** ISO 8601 instants, or "". */
  since: string;
  until: string;
  /** The page token, or "" for the newest page. */
  after: string;
}

const FILTER_NAMES = ["endpoint", "type", "status", "since", "until"] as const;

export function readDeliveryFilters(params: URLSearchParams): DeliveryFilters {
  const get = (name: string) => params.get(name) ?? "";
  return {
    endpoint: get("endpoint"),
    type: get("type"),
    status: get("status"),
    since: get("since"),
    until: get("until"),
    after: get("after"),
  };
}

/** The search params for these filters without a page token: a new filter starts at the newest page. */
export function filterParams(filters: Omit<DeliveryFilters, "after">): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) if (filters[name] !== "") params.set(name, filters[name]);
  return params;
}

export function hasFilters(filters: DeliveryFilters): boolean {
  return FILTER_NAMES.some((name) => filters[name] !== "");
}

export function toDeliveryQuery(filters: DeliveryFilters): DeliveryQuery {
  return {
    endpointId: filters.endpoint,
    eventType: filters.type,
    status: filters.status,
    since: filters.since,
    until: filters.until,
    nextToken: filters.after,
  };
}
