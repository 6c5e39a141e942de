import { useEffect, useId, useState } from "react";
import { useSearchParams } from "react-router";
import { readTimelineTypes, TIMELINE_FILTERS } from "./timelineTypes";

/** Checkboxes that narrow the conversation to some entry types; the choice lives in the URL. */
export function TimelineFilter() {
  const id = useId();
  const [params, setParams] = useSearchParams();
  const inUrl = readTimelineTypes(params).join(",");
  // The boxes follow a click at once; the URL (which the thread reads) follows a moment later.
  const [shown, setShown] = useState(inUrl);
  useEffect(() => setShown(inUrl), [inUrl]);
  const chosen = shown === "" ? [] : shown.split(",");
  const toggle = (type: string, on: boolean) => {
    const next = new URLSearchParams(params);
    const types = TIMELINE_FILTERS.map((f) => f.type).filter((t) => (t === type ? on : chosen.includes(t)));
    setShown(types.join(","));
    if (types.length === 0) next.delete("types");
    else next.set("types", types.join(","));
    setParams(next, { replace: true });
  };
  return (
    <fieldset className="timeline-filter" aria-describedby={`${id}-hint`}>
      <legend>Show only</legend>
      {TIMELINE_FILTERS.map((filter) => (
        <div className="checkbox" key={filter.type}>
          <input
            id={`${id}-${filter.type}`}
            type="checkbox"
            checked={chosen.includes(filter.type)}
            onChange={(event) => toggle(filter.type, event.target.checked)}
          />
          <label htmlFor={`${id}-${filter.type}`}>{filter.label}</label>
        </div>
      ))}
      <p id={`${id}-hint`} className="hint">
        Nothing checked shows everything.
      </p>
    </fieldset>
  );
}
