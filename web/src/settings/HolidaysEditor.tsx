import { useId, useState } from "react";
import { issuesAt } from "../components/FormError";
import { issuesExactlyAt } from "./fields";

const PATH = "followUpWindow.holidays";

/** The holidays (no follow-ups those days): a list with remove buttons and a date box to add one. */
export function HolidaysEditor({
  holidays,
  onChange,
  error,
}: {
  holidays: string[];
  onChange: (holidays: string[]) => void;
  error: Error | null;
}) {
  const id = useId();
  const [date, setDate] = useState("");
  const listIssues = issuesExactlyAt(error, PATH);
  const add = () => {
    if (date === "" || holidays.includes(date)) return;
    onChange([...holidays, date].sort());
    setDate("");
  };
  return (
    <fieldset aria-describedby={listIssues.length > 0 ? `${id}-error` : undefined}>
      <legend>Holidays</legend>
      {holidays.length === 0 ? (
        <p className="hint">No holidays.</p>
      ) : (
        <ul className="chip-list" aria-label="Holidays">
          {holidays.map((holiday, index) => {
            const issues = issuesAt(error, `${PATH}.${index}`);
            return (
              <li key={holiday}>
                <span>{holiday}</span>
                <button
                  type="button"
                  className="button-secondary button-small"
                  aria-label={`Remove holiday ${holiday}`}
                  onClick={() => onChange(holidays.filter((h) => h !== holiday))}
                >
                  Remove
                </button>
                {issues.length > 0 && <span className="field-error">{issues.join("; ")}</span>}
              </li>
            );
          })}
        </ul>
      )}
      <div className="inline-add">
        <div className="field">
          <label htmlFor={`${id}-date`}>New holiday</label>
          <input
            id={`${id}-date`}
            type="date"
            value={date}
            onChange={(event) => setDate(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                add();
              }
            }}
          />
        </div>
        <button type="button" className="button-secondary" onClick={add} disabled={date === ""}>
          Add holiday
        </button>
      </div>
      {listIssues.length > 0 && (
        <p id={`${id}-error`} className="field-error">
          {listIssues.join("; ")}
        </p>
      )}
    </fieldset>
  );
}
