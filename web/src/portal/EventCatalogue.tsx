import { useState } from "react";
import { useEventTypes } from "../api/portal";
import type { EventTypeInfo } from "../api/types";
import { QueryFailure } from "../components/QueryFailure";
import { JsonBlock } from "./JsonBlock";
import { LatestEventSample } from "./LatestEventSample";

/** One type: what it means, the server's sample body, and the newest stored one when opened. */
function CatalogueEntry({ entry }: { entry: EventTypeInfo }) {
  const { type, description, sample } = entry;
  const [open, setOpen] = useState(false);
  return (
    <li>
      <article aria-labelledby={`event-type-${type}`} className="panel">
        <h3 id={`event-type-${type}`}>
          <code>{type}</code>
        </h3>
        <p>{description}</p>
        <details>
          <summary>Sample body of {type}</summary>
          <p className="sample-label">
            A sample with made-up values, in the exact shape and key order your receiver gets:
          </p>
          <JsonBlock value={sample} />
        </details>
        <details onToggle={(event) => setOpen(event.currentTarget.open)}>
          <summary>Newest stored {type} event</summary>
          {open && <LatestEventSample type={type} />}
        </details>
      </article>
    </li>
  );
}

/** Every event type Leadwire sends, what it means, a sample body of each and the newest real one. */
export function EventCatalogue() {
  const eventTypes = useEventTypes();
  if (eventTypes.isPending) return <p role="status">Loading the event catalogue…</p>;
  if (eventTypes.isError) return <QueryFailure error={eventTypes.error} what="the event catalogue" />;
  return (
    <ul className="catalogue">
      {eventTypes.data.map((entry) => (
        <CatalogueEntry key={entry.type} entry={entry} />
      ))}
    </ul>
  );
}
