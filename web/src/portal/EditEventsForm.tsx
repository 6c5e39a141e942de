import type { FormEvent } from "react";
import { useUpdateEndpoint } from "../api/portal";
import type { WebhookEndpoint } from "../api/types";
import { FormError } from "../components/FormError";
import { EventFilterFieldset, readEventFilter } from "./EventFilterFieldset";

/** Replaces the endpoint's event filter (`PATCH` with `events`). */
export function EditEventsForm({ endpoint, onDone }: { endpoint: WebhookEndpoint; onDone: () => void }) {
  const update = useUpdateEndpoint(endpoint.id);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    update.mutate({ events: readEventFilter(new FormData(event.currentTarget)) }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} className="form">
      <EventFilterFieldset initial={endpoint.events} error={update.error} />
      <FormError error={update.error} />
      <div className="actions">
        <button type="submit" disabled={update.isPending}>
          Save events
        </button>
        <button type="button" className="button-secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
