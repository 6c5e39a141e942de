import { useDncStatus, useDoNotContact } from "../api/leads";
import type { Lead } from "../api/types";
import { FormError } from "../components/FormError";
import { QueryFailure } from "../components/QueryFailure";
import { useFocusingToggle } from "../components/useFocusingToggle";
import { formatDateTime, fullName } from "../format";

/**
 * Do-not-contact in two steps: the first button asks, the second acts (`POST
 * /v1/leads/{id}/doNotContact`). Once the phone is on the list, that is what shows.
 */
export function DoNotContact({ lead }: { lead: Lead }) {
  const status = useDncStatus(lead.phone);
  const mark = useDoNotContact(lead);
  const asking = useFocusingToggle<HTMLButtonElement, HTMLButtonElement>();

  if (status.data === undefined) {
    return status.isError ? (
      <QueryFailure error={status.error} what="the do-not-contact list" />
    ) : (
      <p role="status">Checking the do-not-contact list…</p>
    );
  }
  if (status.data.onList) {
    return (
      <p role="status">
        On the do-not-contact list
        {status.data.addedAt === null ? "" : ` since ${formatDateTime(status.data.addedAt)}`}: no text, email
        or follow-up reaches {fullName(lead)}.
      </p>
    );
  }
  return (
    <div className="do-not-contact">
      <p className="hint">Stops every channel for good and puts {lead.phone} on the do-not-contact list.</p>
      {asking.open ? (
        <div className="actions">
          <p>Stop all contact with {fullName(lead)}?</p>
          <button
            type="button"
            className="lead-danger"
            disabled={mark.isPending}
            onClick={() => mark.mutate(undefined, { onSuccess: () => asking.setOpen(false) })}
          >
            Yes, do not contact
          </button>
          <button
            ref={asking.whenOpen}
            type="button"
            className="button-secondary"
            onClick={() => asking.setOpen(false)}
          >
            Cancel
          </button>
        </div>
      ) : (
        <button
          ref={asking.whenClosed}
          type="button"
          className="button-secondary"
          onClick={() => asking.setOpen(true)}
        >
          Do not contact…
        </button>
      )}
      <FormError error={mark.error} />
    </div>
  );
}
