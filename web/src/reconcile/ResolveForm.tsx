import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { type Resolution, useResolveMessage } from "../api/messages";
import { FormError, issuesAt } from "../components/FormError";
import { TextField } from "../components/TextField";
import { RESOLUTION_ORDER, RESOLUTIONS } from "./resolutions";

/**
 * The operator's choice for one `unknown` message, in two steps: pick and review, then confirm.
 * `POST /v1/messages/{id}/resolve`; the list refreshes when it succeeds.
 */
export function ResolveForm({ messageId }: { messageId: string }) {
  const id = useId();
  const resolve = useResolveMessage();
  const [choice, setChoice] = useState<Resolution>("failed");
  const [note, setNote] = useState("");
  const [providerId, setProviderId] = useState("");
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  const review = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    resolve.reset();
    setAsking(true);
  };
  const confirm = () => {
    setAsking(false);
    resolve.mutate({
      messageId,
      resolution: choice,
      ...(note.trim() === "" ? {} : { note: note.trim() }),
      ...(choice === "sent" && providerId.trim() !== "" ? { providerMessageId: providerId.trim() } : {}),
    });
  };
  const text = RESOLUTIONS[choice];
  const noteIssues = issuesAt(resolve.error, "note");

  return (
    <form className="form resolve-form" onSubmit={review}>
      <fieldset disabled={asking || resolve.isPending}>
        <legend>What happened to it?</legend>
        {RESOLUTION_ORDER.map((value) => (
          <div className="checkbox" key={value}>
            <input
              id={`${id}-${value}`}
              type="radio"
              name="resolution"
              value={value}
              checked={choice === value}
              aria-describedby={`${id}-${value}-hint`}
              onChange={() => setChoice(value)}
            />
            <label htmlFor={`${id}-${value}`}>{RESOLUTIONS[value].label}</label>
            <span id={`${id}-${value}-hint`} className="hint">
              {RESOLUTIONS[value].hint}
            </span>
          </div>
        ))}
      </fieldset>
      {choice === "sent" && (
        <TextField
          label="Provider's message id (optional)"
          name="providerMessageId"
          autoComplete="off"
          value={providerId}
          disabled={asking || resolve.isPending}
          onChange={(event) => setProviderId(event.target.value)}
          error={resolve.error}
        />
      )}
      <div className="field">
        <label htmlFor={`${id}-note`}>Note for the timeline (optional)</label>
        <textarea
          id={`${id}-note`}
          name="note"
          rows={2}
          maxLength={1000}
          value={note}
          disabled={asking || resolve.isPending}
          aria-invalid={noteIssues.length > 0 ? true : undefined}
          aria-describedby={noteIssues.length > 0 ? `${id}-note-error` : undefined}
          onChange={(event) => setNote(event.target.value)}
        />
        {noteIssues.length > 0 && (
          <p id={`${id}-note-error`} className="field-error">
            {noteIssues.join("; ")}
          </p>
        )}
      </div>
      {asking ? (
        <div className="confirm">
          <span>{text.question}</span>
          <button ref={confirmRef} type="button" className="button-danger" onClick={confirm}>
            {text.confirm}
          </button>
          <button type="button" className="button-secondary" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="submit" disabled={resolve.isPending}>
          Resolve…
        </button>
      )}
      <FormError error={resolve.error} />
    </form>
  );
}
