import { useState } from "react";
import { useEndpoints } from "../api/portal";
import { QueryFailure } from "../components/QueryFailure";
import { EndpointCard } from "../portal/EndpointCard";
import { NewEndpointForm } from "../portal/NewEndpointForm";

/** The org's webhook endpoints: create, filter, switch, rotate, test, recover, delete. */
export function PortalEndpointsScreen() {
  const endpoints = useEndpoints();
  const [formOpen, setFormOpen] = useState(false);
  return (
    <>
      <title>Endpoints · Developer Portal · Leadwire</title>
      <div className="screen-title">
        <h1>Webhook endpoints</h1>
        <button
          type="button"
          aria-expanded={formOpen}
          aria-controls="new-endpoint"
          onClick={() => setFormOpen(!formOpen)}
        >
          New endpoint
        </button>
      </div>
      <section id="new-endpoint" aria-labelledby="new-endpoint-heading" hidden={!formOpen} className="panel">
        <h2 id="new-endpoint-heading">New endpoint</h2>
        <NewEndpointForm />
      </section>
      <section aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading">Endpoints</h2>
        {endpoints.isPending && <p role="status">Loading endpoints…</p>}
        {endpoints.isError && <QueryFailure error={endpoints.error} what="the endpoints" />}
        {endpoints.data?.length === 0 && <p>No endpoints yet. Add one with “New endpoint”.</p>}
        {endpoints.data !== undefined && endpoints.data.length > 0 && (
          <ul className="endpoint-list">
            {endpoints.data.map((endpoint) => (
              <li key={endpoint.id}>
                <EndpointCard endpoint={endpoint} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
