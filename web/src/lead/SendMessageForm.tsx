import { type FormEvent, useId, useState } from "react";
import { useSendMessage } from "../api/leads";
import type { Lead, MessageChannel } from "../api/types";
import { FormError, issuesAt } from "../components/FormError";
import { TextField } from "../components/TextField";
import { formatDateTime } from "../format";

/** Posts to `/v1/leads/{id}/sendMessage`; the bubble appears once the message is sent. */
export function SendMessageForm({ lead }: { lead: Lead }) {
  const send = useSendMessage(lead.id);
  const [channel, setChannel] = useState<MessageChannel>("sms");
  const [queuedFor, setQueuedFor] = useState<string | null>(null);
  const id = useId();
  const messageIssues = issuesAt(send.error, "message");

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const subject = String(data.get("subject") ?? "").trim();
    setQueuedFor(null);
    send.mutate(
      {
        message: String(data.get("message") ?? ""),
        channel,
        ...(channel === "email" && subject !== "" ? { subject } : {}),
        overrideBusinessHours: data.get("overrideBusinessHours") === "on",
        sendWhenOff: data.get("sendWhenOff") === "on",
      },
      {
        onSuccess: ({ scheduledFor }) => {
          form.reset();
          setChannel("sms");
          setQueuedFor(scheduledFor);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} className="form send-form">
      <div className="field">
        <label htmlFor={`${id}-message`}>Message</label>
        <textarea
          id={`${id}-message`}
          name="message"
          rows={4}
          required
          aria-invalid={messageIssues.length > 0 ? true : undefined}
          aria-describedby={messageIssues.length > 0 ? `${id}-message-error` : undefined}
        />
        {messageIssues.length > 0 && (
          <p id={`${id}-message-error`} className="field-error">
            {messageIssues.join("; ")}
          </p>
        )}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-channel`}>Channel</label>
          <select
            id={`${id}-channel`}
            name="channel"
            value={channel}
            onChange={(event) => setChannel(event.target.value === "email" ? "email" : "sms")}
          >
            <option value="sms">SMS</option>
            <option value="email" disabled={lead.email === null}>
              Email{lead.email === null ? " (no address)" : ""}
            </option>
          </select>
        </div>
        {channel === "email" && <TextField label="Subject" name="subject" required error={send.error} />}
      </div>
      <div className="checkbox">
        <input id={`${id}-override`} name="overrideBusinessHours" type="checkbox" />
        <label htmlFor={`${id}-override`}>Send now, even outside business hours</label>
      </div>
      <div className="checkbox">
        <input id={`${id}-when-off`} name="sendWhenOff" type="checkbox" defaultChecked={!lead.isAiOn} />
        <label htmlFor={`${id}-when-off`}>Send even while the AI is off for this lead</label>
      </div>
      <FormError error={send.error} />
      <button type="submit" disabled={send.isPending}>
        Send
      </button>
      <p role="status" className="hint">
        {queuedFor === null ? "" : `Queued: goes out ${formatDateTime(queuedFor)}.`}
      </p>
    </form>
  );
}
