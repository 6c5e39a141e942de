import { Link } from "react-router";
import { useLead } from "../api/leads";
import type { Message } from "../api/messages";
import { formatDateTime, fullName } from "../format";
import { ResolveForm } from "./ResolveForm";

function LeadLink({ leadId }: { leadId: string }) {
  const lead = useLead(leadId);
  return <Link to={`/leads/${encodeURIComponent(leadId)}`}>{lead.data ? fullName(lead.data) : leadId}</Link>;
}

const AUTHORS = {
  assistant: "the assistant",
  template: "a template",
  person: "a person",
  system: "Leadwire",
} as const;

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
        <dd>
          {formatDateTime(message.createdAt)}
          {message.author !== null && ` by ${AUTHORS[message.author]}`}
        </dd>
        <dt>Provider call started</dt>
        <dd>{message.providerCallAt === null ? "Not recorded" : formatDateTime(message.providerCallAt)}</dd>
        <dt>Attempts</dt>
        <dd>{message.attempts}</dd>
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
