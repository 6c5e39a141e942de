import { useState } from "react";
import { EVENT_DESCRIPTIONS, EVENT_TYPES, type EventType } from "./eventCatalogue";
import { LatestEventSample } from "./LatestEventSample";

/** One type; its payload is looked up when the person opens it. */
function CatalogueEntry({ type }: { type: EventType }) {
  const [open, setOpen] = useState(false);
  return (
    <li>
      <article aria-labelledby={`event-type-${type}`} className="panel">
        <h3 id={`event-type-${type}`}>
          <code>{type}</code>
        </h3>
        <p>{EVENT_DESCRIPTIONS[type]}</p>
        <details onToggle={(event) => setOpen(event.currentTarget.open)}>
          <summary>Payload of {type}</summary>
          {open && <LatestEventSample type={type} />}
        </details>
      </article>
    </li>
  );
}

/** Every event type Leadwire sends, what it means, and a payload of each. */
export function EventCatalogue() {
  return (
    <ul className="catalogue">
      {EVENT_TYPES.map((type) => (
        <CatalogueEntry key={type} type={type} />
      ))}
    </ul>
  );
}
