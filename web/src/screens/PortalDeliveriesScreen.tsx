import { Link, useSearchParams } from "react-router";
import { useDeliveriesPage, useEndpoints } from "../api/portal";
import { QueryFailure } from "../components/QueryFailure";
import { DeliveriesTable } from "../portal/DeliveriesTable";
import { DeliveryFiltersForm } from "../portal/DeliveryFiltersForm";
import { filterParams, readDeliveryFilters, toDeliveryQuery } from "../portal/deliveryFilters";

/** The delivery log, newest first; every filter and the page token live in the URL. */
export function PortalDeliveriesScreen() {
  const [params] = useSearchParams();
  const filters = readDeliveryFilters(params);
  const page = useDeliveriesPage(toDeliveryQuery(filters));
  const endpoints = useEndpoints();
  const firstPage = filterParams(filters).toString();
  const nextToken = page.data?.nextToken ?? null;
  const nextPage = new URLSearchParams(firstPage);
  if (nextToken !== null) nextPage.set("after", nextToken);

  return (
    <>
      <title>Deliveries · Developer Portal · Leadwire</title>
      <h1>Webhook deliveries</h1>
      <section aria-labelledby="filters-heading" className="panel">
        <h2 id="filters-heading">Filters</h2>
        {endpoints.isError && <QueryFailure error={endpoints.error} what="the endpoints" />}
        {/* Remounted when the URL changes or the endpoints arrive, so the fields show the URL's filters. */}
        <DeliveryFiltersForm
          key={`${params.toString()}|${endpoints.isSuccess}`}
          filters={filters}
          endpoints={endpoints.data ?? []}
        />
      </section>
      <section aria-labelledby="log-heading">
        <h2 id="log-heading">Log</h2>
        {page.isPending && <p role="status">Loading deliveries…</p>}
        {page.isError && <QueryFailure error={page.error} what="the deliveries" />}
        {page.data && <DeliveriesTable deliveries={page.data.deliveries} endpoints={endpoints.data ?? []} />}
        <nav aria-label="Pages" className="pager">
          {filters.after !== "" && (
            <Link to={{ pathname: "/portal/deliveries", search: firstPage === "" ? "" : `?${firstPage}` }}>
              Newest page
            </Link>
          )}
          {nextToken !== null && (
            <Link to={{ pathname: "/portal/deliveries", search: `?${nextPage}` }}>Older deliveries</Link>
          )}
        </nav>
      </section>
    </>
  );
}
