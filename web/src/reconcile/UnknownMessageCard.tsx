import { Link } from "react-router";
import { useLead } from "../api/leads";
import type { Message } from "../api/messages";
import { formatDateTime, fullName } from "../format";
import { ResolveForm } from "./ResolveForm";

function LeadLink({ leadId }: { leadId: string }) {
  const lead = useLead(leadId);
  return <Link to={`/leads/${encodeURIComponent(leadId)}`}>{lead.data ? fullName(lead.data) : leadId}</Link>;
}

function errorOf(message: Message): string {
  const parts = [message.errorCode, message.errorMessage].filter((s): s is string => s !== null);
  return parts.length === 0 ? "None recorded" : parts.join(": ");
}

/** What is known about one `unknown` message, and the operator's choice for it. */
export function UnknownMessageCard({ message }: { message: Message }) {
  const headingId = `message-${message.id}-heading`;
  return (
    <article className="panel reconcile-card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {message.channel === "email" ? "Email" : "SMS"} to <LeadLink leadId={message.leadId} />
      </h2>
      <dl className="reconcile-facts">
        <dt>Text</dt>
        <dd>
          {message.subject !== null && <strong>{message.subject}: </strong>}
          {message.text}
        </dd>
        <dt>Written</dt>
        <dd>{formatDateTime(message.createdAt)}</dd>
        <dt>Last changed (when the send was cut short)</dt>
        <dd>{formatDateTime(message.updatedAt)}</dd>
        <dt>Provider</dt>
        <dd>{message.provider ?? "Not recorded"}</dd>
        {message.followUpStep !== null && (
          <>
            <dt>Follow-up step</dt>
            <dd>{message.followUpStep}</dd>
          </>
        )}
        <dt>Error</dt>
        <dd>{errorOf(message)}</dd>
      </dl>
      <ResolveForm messageId={message.id} />
    </article>
  );
}
