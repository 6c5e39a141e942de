import { type FormEvent, useId } from "react";
import { useRecoverEndpoint } from "../api/portal";
import { FormError, issuesAt } from "../components/FormError";
import { fromLocalInput, toLocalInput } from "./dateTimeLocal";

/**
 * Replays every failed or missed delivery of the endpoint since a time (`POST …/recover`):
 * failed ones become pending again and events it never got are queued.
 */
export function RecoverForm({ endpointId, defaultSince }: { endpointId: string; defaultSince: string }) {
  const id = useId();
  const recover = useRecoverEndpoint(endpointId);
  const issues = issuesAt(recover.error, "since");
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const since = fromLocalInput(String(new FormData(event.currentTarget).get("since") ?? ""));
    recover.mutate(since);
  };
  return (
    <form onSubmit={submit} className="form form-inline">
      <div className="field">
        <label htmlFor={`${id}-since`}>Recover since</label>
        <input
          id={`${id}-since`}
          name="since"
          type="datetime-local"
          required
          defaultValue={toLocalInput(defaultSince)}
          aria-invalid={issues.length > 0 ? true : undefined}
          aria-describedby={issues.length > 0 ? `${id}-error` : undefined}
        />
        {issues.length > 0 && (
          <p id={`${id}-error`} className="field-error">
            {issues.join("; ")}
          </p>
        )}
      </div>
      <button type="submit" disabled={recover.isPending}>
        Recover endpoint
      </button>
      <p role="status">
        {recover.data !== undefined &&
          `${recover.data.recovered} ${recover.data.recovered === 1 ? "delivery" : "deliveries"} queued again.`}
      </p>
      <FormError error={recover.error} />
    </form>
  );
}
