import { useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useLeadSearch } from "../api/leads";
import { useProfiles } from "../api/profiles";
import { useTags } from "../api/tags";
import { QueryFailure } from "../components/QueryFailure";
import { LeadFiltersForm } from "../leads/LeadFiltersForm";
import { LeadsTable } from "../leads/LeadsTable";
import { filterParams, hasFilters, readLeadFilters, toSearchQuery } from "../leads/leadFilters";
import { NewLeadForm } from "../leads/NewLeadForm";
import "../leads/leads.css";

/**
 * The leads, newest first, a page at a time from `GET /v1/leads/search`. The search, every filter
 * and the page token (`?after=`) live in the URL, so a reload or a shared link shows the same page.
 */
export function LeadsScreen() {
  const [params] = useSearchParams();
  const filters = readLeadFilters(params);
  const page = useLeadSearch(toSearchQuery(filters));
  const profiles = useProfiles();
  const tags = useTags();
  const [formOpen, setFormOpen] = useState(false);
  const refocusFilter = useRef<number | null>(null);
  const firstPage = filterParams(filters).toString();
  const nextToken = page.data?.nextToken ?? null;
  const nextPage = new URLSearchParams(firstPage);
  if (nextToken !== null) nextPage.set("after", nextToken);

  return (
    <>
      <title>Leads · Leadwire</title>
      <div className="screen-title">
        <h1>Leads</h1>
        <button
          type="button"
          aria-expanded={formOpen}
          aria-controls="new-lead"
          onClick={() => setFormOpen(!formOpen)}
        >
          New lead
        </button>
      </div>
      <section id="new-lead" aria-labelledby="new-lead-heading" hidden={!formOpen} className="panel">
        <h2 id="new-lead-heading">New lead</h2>
        <NewLeadForm />
      </section>
      <section aria-labelledby="search-heading" className="panel">
        <h2 id="search-heading">Search and filters</h2>
        {profiles.isError && <QueryFailure error={profiles.error} what="the profiles" />}
        {tags.isError && <QueryFailure error={tags.error} what="the tags" />}
        {/* Remounted when the URL changes or the lists arrive, so the fields show the URL's filters. */}
        <LeadFiltersForm
          key={`${firstPage}|${profiles.isSuccess}|${tags.isSuccess}`}
          filters={filters}
          profiles={profiles.data ?? []}
          tags={tags.data ?? []}
          refocus={refocusFilter}
        />
      </section>
      <section aria-labelledby="leads-heading" aria-busy={page.isFetching}>
        <h2 id="leads-heading" className="visually-hidden">
          Lead list
        </h2>
        {page.isPending && <p role="status">Loading leads…</p>}
        {page.isError && <QueryFailure error={page.error} what="the leads" />}
        {page.data && !page.isError && <LeadsTable leads={page.data.leads} filtered={hasFilters(filters)} />}
        <nav aria-label="Pages" className="pager">
          {filters.after !== "" && (
            <Link to={{ pathname: "/leads", search: firstPage === "" ? "" : `?${firstPage}` }}>
              First page
            </Link>
          )}
          {nextToken !== null && !page.isPlaceholderData && (
            <Link to={{ pathname: "/leads", search: `?${nextPage}` }}>Next page</Link>
          )}
        </nav>
      </section>
    </>
  );
}
