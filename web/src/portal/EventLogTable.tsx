import { Link } from "react-router";
import type { StoredEvent } from "../api/types";
import { formatDateTime } from "../format";
import { JsonBlock } from "./JsonBlock";

/** Stored events, oldest first, each with its payload one click away. */
export function EventLogTable({ events }: { events: StoredEvent[] }) {
  if (events.length === 0) return <p>No events match.</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Stored</th>
          <th scope="col">Type</th>
          <th scope="col">Lead</th>
          <th scope="col">Payload</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.id}>
            <td>
              <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>
            </td>
            <td>
              <code>{event.type}</code>
            </td>
            <td>
              {event.leadId !== null && (
                <Link to={`/leads/${encodeURIComponent(event.leadId)}`}>Open lead</Link>
              )}
            </td>
            <td>
              <details>
                <summary>
                  Event <code>{event.id}</code>
                </summary>
                <JsonBlock value={event.payload} />
              </details>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
