import { Link, useSearchParams } from "react-router";
import { useEventsPage } from "../api/portal";
import { QueryFailure } from "../components/QueryFailure";
import { EventCatalogue } from "../portal/EventCatalogue";
import { EventLogFiltersForm } from "../portal/EventLogFiltersForm";
import { EventLogTable } from "../portal/EventLogTable";

/** The event catalogue and the event log (oldest first; type, start and page token in the URL). */
export function PortalEventsScreen() {
  const [params] = useSearchParams();
  const type = params.get("type") ?? "";
  const since = params.get("since") ?? "";
  const after = params.get("after") ?? "";
  const page = useEventsPage({ type, since, nextToken: after });
  const firstPage = new URLSearchParams();
  if (type !== "") firstPage.set("type", type);
  if (since !== "") firstPage.set("since", since);
  const nextToken = page.data?.nextToken ?? null;
  const nextPage = new URLSearchParams(firstPage);
  if (nextToken !== null) nextPage.set("after", nextToken);

  return (
    <>
      <title>Events · Developer Portal · Leadwire</title>
      <h1>Events</h1>
      <section aria-labelledby="catalogue-heading">
        <h2 id="catalogue-heading">Event catalogue</h2>
        <p className="hint">
          The types an endpoint can subscribe to. Each POST carries one event as{" "}
          <code>{"{ event, data, timestamp }"}</code>; the <code>webhook-id</code> header is its id.
        </p>
        <EventCatalogue />
      </section>
      <section aria-labelledby="log-heading">
        <h2 id="log-heading">Event log</h2>
        <p className="hint">
          Every event stored for your organisation, oldest first (test sends are not kept here).
        </p>
        <EventLogFiltersForm key={params.toString()} type={type} since={since} />
        {page.isPending && <p role="status">Loading events…</p>}
        {page.isError && <QueryFailure error={page.error} what="the events" />}
        {page.data && <EventLogTable events={page.data.events} />}
        <nav aria-label="Pages" className="pager">
          {after !== "" && (
            <Link to={{ pathname: "/portal/events", search: `?${firstPage}` }}>First page</Link>
          )}
          {nextToken !== null && (
            <Link to={{ pathname: "/portal/events", search: `?${nextPage}` }}>Next page</Link>
          )}
        </nav>
      </section>
    </>
  );
}
