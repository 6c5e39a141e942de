import { type FormEvent, useId } from "react";
import { Link, useSearchParams } from "react-router";
import { fromLocalInput, toLocalInput } from "./dateTimeLocal";
import { EVENT_TYPES } from "./eventCatalogue";

/** The event log's filters; applying them writes them to the URL (and drops the page token). */
export function EventLogFiltersForm({ type, since }: { type: string; since: string }) {
  const id = useId();
  const [, setSearchParams] = useSearchParams();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const params = new URLSearchParams();
    const chosenType = String(data.get("type") ?? "");
    const chosenSince = fromLocalInput(String(data.get("since") ?? ""));
    if (chosenType !== "") params.set("type", chosenType);
    if (chosenSince !== "") params.set("since", chosenSince);
    setSearchParams(params);
  };
  return (
    <form onSubmit={submit} className="form form-inline" aria-label="Event log filters">
      <div className="field">
        <label htmlFor={`${id}-type`}>Event type</label>
        <select id={`${id}-type`} name="type" defaultValue={type}>
          <option value="">All types</option>
          {EVENT_TYPES.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-since`}>Stored from</label>
        <input id={`${id}-since`} name="since" type="datetime-local" defaultValue={toLocalInput(since)} />
      </div>
      <button type="submit">Apply filters</button>
      {(type !== "" || since !== "") && <Link to="/portal/events">Clear filters</Link>}
    </form>
  );
}
