import { type FormEvent, useId } from "react";
import { Link } from "react-router";
import { useEventTypes, useSendTestEvent } from "../api/portal";
import type { DeliveryAttempt } from "../api/types";
import { FormError } from "../components/FormError";

function outcome(attempt: DeliveryAttempt): string {
  const answer = attempt.statusCode === null ? (attempt.error ?? "no answer") : `HTTP ${attempt.statusCode}`;
  return `${attempt.succeeded ? "Delivered" : "Failed"}: ${answer} in ${attempt.durationMs} ms.`;
}

/**
 * Sends a sample event of a chosen type to this endpoint now and says how the receiver answered.
 * The types are the server's catalogue (the same samples the Events screen shows).
 */
export function TestEventForm({ endpointId }: { endpointId: string }) {
  const id = useId();
  const send = useSendTestEvent(endpointId);
  const eventTypes = useEventTypes();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    send.mutate(String(new FormData(event.currentTarget).get("eventType") ?? "message.sent"));
  };
  return (
    <form onSubmit={submit} className="form form-inline">
      <div className="field">
        <label htmlFor={`${id}-type`}>Test event type</label>
        {eventTypes.data === undefined ? (
          <select key="waiting" id={`${id}-type`} name="eventType" disabled>
            <option>{eventTypes.isError ? "Event types unavailable" : "Loading event types…"}</option>
          </select>
        ) : (
          <select key="ready" id={`${id}-type`} name="eventType" defaultValue="message.sent">
            {eventTypes.data.map(({ type }) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        )}
      </div>
      <button type="submit" disabled={send.isPending || eventTypes.data === undefined}>
        {send.isPending ? "Sending…" : "Send test event"}
      </button>
      <p role="status" className="test-outcome">
        {send.data !== undefined && (
          <>
            {outcome(send.data)}{" "}
            <Link to={`/portal/deliveries/${encodeURIComponent(send.data.deliveryId)}`}>See the attempt</Link>
          </>
        )}
      </p>
      <FormError error={send.error ?? eventTypes.error} />
    </form>
  );
}
