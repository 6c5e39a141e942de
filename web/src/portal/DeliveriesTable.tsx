import { Link, useLocation } from "react-router";
import type { Delivery, WebhookEndpoint } from "../api/types";
import { formatDateTime } from "../format";
import { DeliveryStatusBadge } from "./DeliveryStatusBadge";

function lastAnswer(delivery: Delivery): string {
  if (delivery.lastStatusCode !== null) return `HTTP ${delivery.lastStatusCode}`;
  return delivery.lastError ?? "";
}

/** The log's rows; each opens the delivery's attempts, remembering the log's filters for the way back. */
export function DeliveriesTable({
  deliveries,
  endpoints,
}: {
  deliveries: Delivery[];
  endpoints: WebhookEndpoint[];
}) {
  const location = useLocation();
  const urlOf = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint.url]));
  if (deliveries.length === 0) return <p>No deliveries match.</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Created</th>
          <th scope="col">Event type</th>
          <th scope="col">Endpoint</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Last answer</th>
          <th scope="col">Next attempt</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((delivery) => (
          <tr key={delivery.id}>
            <td>
              <Link
                to={`/portal/deliveries/${encodeURIComponent(delivery.id)}`}
                state={{ logSearch: location.search }}
              >
                <time dateTime={delivery.createdAt}>{formatDateTime(delivery.createdAt)}</time>
              </Link>
            </td>
            <td>
              <code>{delivery.eventType}</code>
            </td>
            <td className="wrap-anywhere">{urlOf.get(delivery.endpointId) ?? delivery.endpointId}</td>
            <td>
              <DeliveryStatusBadge status={delivery.status} />
            </td>
            <td>{delivery.attempts}</td>
            <td className="wrap-anywhere">{lastAnswer(delivery)}</td>
            <td>
              {delivery.nextAttemptAt !== null && (
                <time dateTime={delivery.nextAttemptAt}>{formatDateTime(delivery.nextAttemptAt)}</time>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
