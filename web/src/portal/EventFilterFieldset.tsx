import { useId, useState } from "react";
import { issuesAt } from "../components/FormError";
import { EVENT_TYPES } from "./eventCatalogue";

/** The endpoint's filter from a form holding an `EventFilterFieldset`: `["*"]` or the ticked types. */
export function readEventFilter(data: FormData): string[] {
  if (data.get("eventsMode") !== "some") return ["*"];
  return data.getAll("eventType").map(String);
}

/** Which events an endpoint receives: every event (`*`), or the types ticked in the catalogue. */
export function EventFilterFieldset({ initial, error }: { initial: string[]; error: Error | null }) {
  const id = useId();
  const [mode, setMode] = useState<"all" | "some">(initial.includes("*") ? "all" : "some");
  const issues = issuesAt(error, "events");
  return (
    <fieldset className="event-filter" aria-describedby={issues.length > 0 ? `${id}-error` : undefined}>
      <legend>Events</legend>
      <div className="checkbox">
        <input
          id={`${id}-all`}
          type="radio"
          name="eventsMode"
          value="all"
          checked={mode === "all"}
          onChange={() => setMode("all")}
        />
        <label htmlFor={`${id}-all`}>Every event (*), including types added later</label>
      </div>
      <div className="checkbox">
        <input
          id={`${id}-some`}
          type="radio"
          name="eventsMode"
          value="some"
          checked={mode === "some"}
          onChange={() => setMode("some")}
        />
        <label htmlFor={`${id}-some`}>Only these types:</label>
      </div>
      <ul className="event-type-choices">
        {EVENT_TYPES.map((type) => (
          <li key={type} className="checkbox">
            <input
              id={`${id}-${type}`}
              type="checkbox"
              name="eventType"
              value={type}
              defaultChecked={initial.includes(type)}
              disabled={mode === "all"}
            />
            <label htmlFor={`${id}-${type}`}>
              <code>{type}</code>
            </label>
          </li>
        ))}
      </ul>
      {issues.length > 0 && (
        <p id={`${id}-error`} className="field-error">
          {issues.join("; ")}
        </p>
      )}
    </fieldset>
  );
}
