import { type FormEvent, useId, useRef, useState } from "react";
import { useUpdateLead } from "../api/leads";
import type { Lead } from "../api/types";
import { FormError, issuesAt } from "../components/FormError";

const shown = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/**
 * The lead's additionalInfo: each key with its value (nested values as JSON), edited through
 * `PATCH /v1/leads/{id}`, which merges: a saved key is added or replaced, a removed key is sent as null.
 */
export function AdditionalInfo({ lead }: { lead: Lead }) {
  const update = useUpdateLead(lead.id);
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const [done, setDone] = useState("");
  const valueInput = useRef<HTMLInputElement>(null);
  const id = useId();
  const entries = Object.entries(lead.additionalInfo);
  const keyIssues = issuesAt(update.error, "additionalInfo");

  const save = (changes: Record<string, unknown>, message: string, then?: () => void) => {
    setDone("");
    update.mutate(
      { additionalInfo: changes },
      {
        onSuccess: () => {
          setDone(message);
          then?.();
        },
      },
    );
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = key.trim();
    save({ [name]: value }, `Saved “${name}”.`, () => {
      setKey("");
      setValue("");
    });
  };
  const edit = (name: string, current: unknown) => {
    setKey(name);
    setValue(shown(current));
    valueInput.current?.focus();
  };

  return (
    <>
      {entries.length === 0 ? (
        <p>Nothing recorded yet.</p>
      ) : (
        <ul className="info-entries" aria-label="Additional info">
          {entries.map(([name, current]) => (
            <li key={name}>
              <span className="info-key">{name}</span>
              <span className="info-value">{shown(current)}</span>
              <button
                type="button"
                className="button-secondary"
                aria-label={`Edit ${name}`}
                onClick={() => edit(name, current)}
              >
                Edit
              </button>
              <button
                type="button"
                className="button-secondary"
                aria-label={`Remove ${name}`}
                disabled={update.isPending}
                onClick={() => save({ [name]: null }, `Removed “${name}”.`)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} className="form">
        <div className="field">
          <label htmlFor={`${id}-key`}>Field</label>
          <input
            id={`${id}-key`}
            value={key}
            required
            maxLength={200}
            autoComplete="off"
            aria-invalid={keyIssues.length > 0 ? true : undefined}
            onChange={(event) => setKey(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-value`}>Value</label>
          <input
            id={`${id}-value`}
            ref={valueInput}
            value={value}
            autoComplete="off"
            aria-describedby={`${id}-value-hint`}
            onChange={(event) => setValue(event.target.value)}
          />
          <p id={`${id}-value-hint`} className="hint">
            Saved as text; a field that exists already is replaced.
          </p>
        </div>
        <FormError error={update.error} />
        <button type="submit" disabled={update.isPending}>
          Save field
        </button>
      </form>
      <p role="status" className="hint">
        {done}
      </p>
    </>
  );
}
