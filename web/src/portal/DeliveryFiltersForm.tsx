import { type FormEvent, useId } from "react";
import { Link, useSearchParams } from "react-router";
import type { WebhookEndpoint } from "../api/types";
import { fromLocalInput, toLocalInput } from "./dateTimeLocal";
import { type DeliveryFilters, filterParams, hasFilters } from "./deliveryFilters";
import { EVENT_TYPES } from "./eventCatalogue";

/** The log's filters; applying them writes them to the URL (and drops the page token). */
export function DeliveryFiltersForm({
  filters,
  endpoints,
}: {
  filters: DeliveryFilters;
  endpoints: WebhookEndpoint[];
}) {
  const id = useId();
  const [, setSearchParams] = useSearchParams();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => String(data.get(name) ?? "");
    setSearchParams(
      filterParams({
        endpoint: text("endpoint"),
        type: text("type"),
        status: text("status"),
        since: fromLocalInput(text("since")),
        until: fromLocalInput(text("until")),
      }),
    );
  };
  const knownEndpoint = filters.endpoint === "" || endpoints.some((e) => e.id === filters.endpoint);
  return (
    <form onSubmit={submit} className="form filters" aria-label="Delivery filters">
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-endpoint`}>Endpoint</label>
          <select id={`${id}-endpoint`} name="endpoint" defaultValue={filters.endpoint}>
            <option value="">All endpoints</option>
            {!knownEndpoint && <option value={filters.endpoint}>{filters.endpoint}</option>}
            {endpoints.map((endpoint) => (
              <option key={endpoint.id} value={endpoint.id}>
                {endpoint.url}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-type`}>Event type</label>
          <select id={`${id}-type`} name="type" defaultValue={filters.type}>
            <option value="">All types</option>
            {EVENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select id={`${id}-status`} name="status" defaultValue={filters.status}>
            <option value="">Any status</option>
            <option value="pending">pending</option>
            <option value="succeeded">succeeded</option>
            <option value="failed">failed</option>
          </select>
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-since`}>Created from</label>
          <input
            id={`${id}-since`}
            name="since"
            type="datetime-local"
            defaultValue={toLocalInput(filters.since)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-until`}>Created before</label>
          <input
            id={`${id}-until`}
            name="until"
            type="datetime-local"
            defaultValue={toLocalInput(filters.until)}
          />
        </div>
      </div>
      <div className="actions">
        <button type="submit">Apply filters</button>
        {hasFilters(filters) && <Link to="/portal/deliveries">Clear filters</Link>}
      </div>
    </form>
  );
}
