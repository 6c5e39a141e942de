/**
 * The Leads screen's search and filters as they sit in the URL's search params. The names and
 * values are those of `GET /v1/leads/search`, so the URL is the query: shareable, kept on reload,
 * and checked by the API (a bad value there shows the API's 400).
 */
export const FLAG_FILTERS = [
  { name: "hasReplied", label: "Replied", yes: "Replied", no: "Not replied" },
  { name: "isHot", label: "Hot", yes: "Hot", no: "Not hot" },
  { name: "isQualified", label: "Qualified", yes: "Qualified", no: "Not qualified" },
  { name: "isUnsubscribed", label: "Unsubscribed", yes: "Unsubscribed", no: "Subscribed" },
  { name: "isAiOn", label: "AI", yes: "AI on", no: "AI off" },
] as const;

export type FlagName = (typeof FLAG_FILTERS)[number]["name"];

const FILTER_NAMES = [
  "q",
  "profile",
  "tag",
  ...FLAG_FILTERS.map((flag) => flag.name),
  "followUpStep",
] as const;

export type FilterName = (typeof FILTER_NAMES)[number];

/** Every filter ("" when not set) and the page token (`after`, "" for the newest page). */
export type LeadFilters = Record<FilterName, string> & { after: string };

export function readLeadFilters(params: URLSearchParams): LeadFilters {
  const filters = { after: params.get("after") ?? "" } as LeadFilters;
  for (const name of FILTER_NAMES) filters[name] = params.get(name) ?? "";
  return filters;
}

/** The search params for these filters without a page token: a new search starts at the newest page. */
export function filterParams(filters: Partial<Record<FilterName, string>>): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = (filters[name] ?? "").trim();
    if (value !== "") params.set(name, value);
  }
  return params;
}

export function hasFilters(filters: LeadFilters): boolean {
  return FILTER_NAMES.some((name) => filters[name] !== "");
}

/** The API query (without `limit`): the filters, and the page token as `nextToken`. */
export function toSearchQuery(filters: LeadFilters): string {
  const params = filterParams(filters);
  if (filters.after !== "") params.set("nextToken", filters.after);
  return params.toString();
}

/** Reads the filter form: every field is named as its filter. */
export function filtersFromForm(data: FormData): Partial<Record<FilterName, string>> {
  const filters: Partial<Record<FilterName, string>> = {};
  for (const name of FILTER_NAMES) filters[name] = String(data.get(name) ?? "");
  return filters;
}
