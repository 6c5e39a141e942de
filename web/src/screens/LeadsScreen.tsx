import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useLeadsPage } from "../api/leads";
import { QueryFailure } from "../components/QueryFailure";
import { LeadsTable } from "../leads/LeadsTable";
import { NewLeadForm } from "../leads/NewLeadForm";

/** The leads, a page at a time; the page token lives in the URL (`?after=`) so a reload keeps it. */
export function LeadsScreen() {
  const [params] = useSearchParams();
  const after = params.get("after");
  const page = useLeadsPage(after);
  const [formOpen, setFormOpen] = useState(false);

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
      <section aria-labelledby="leads-heading">
        <h2 id="leads-heading" className="visually-hidden">
          Lead list
        </h2>
        {page.isPending && <p role="status">Loading leads…</p>}
        {page.isError && <QueryFailure error={page.error} what="the leads" />}
        {page.data && <LeadsTable leads={page.data.leads} />}
        <nav aria-label="Pages" className="pager">
          {after !== null && <Link to="/leads">First page</Link>}
          {page.data?.nextToken != null && (
            <Link to={{ search: `?${new URLSearchParams({ after: page.data.nextToken })}` }}>Next page</Link>
          )}
        </nav>
      </section>
    </>
  );
}
