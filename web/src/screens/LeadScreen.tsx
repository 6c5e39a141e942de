import { Link, useParams } from "react-router";
import { useLead } from "../api/leads";
import { QueryFailure } from "../components/QueryFailure";
import { fullName } from "../format";
import { AdditionalInfo } from "../lead/AdditionalInfo";
import { ConversationThread } from "../lead/ConversationThread";
import { LeadHeader } from "../lead/LeadHeader";
import { SendMessageForm } from "../lead/SendMessageForm";

export function LeadScreen() {
  const leadId = useParams().leadId ?? "";
  const lead = useLead(leadId);
  if (lead.data === undefined) {
    return lead.isError ? (
      <>
        <h1>Lead</h1>
        <QueryFailure error={lead.error} what="this lead" />
        <p>
          <Link to="/leads">Back to the leads</Link>
        </p>
      </>
    ) : (
      <p role="status">Loading the lead…</p>
    );
  }
  const name = fullName(lead.data);
  return (
    <>
      <title>{`${name} · Leadwire`}</title>
      <LeadHeader lead={lead.data} />
      {lead.isError && <QueryFailure error={lead.error} what="the latest state of this lead" />}
      <section aria-labelledby="info-heading">
        <h2 id="info-heading">Additional info</h2>
        <AdditionalInfo info={lead.data.additionalInfo} />
      </section>
      <section aria-labelledby="conversation-heading">
        <h2 id="conversation-heading">Conversation</h2>
        <ConversationThread leadId={leadId} leadName={name} />
      </section>
      <section aria-labelledby="send-heading">
        <h2 id="send-heading">Send a message</h2>
        <SendMessageForm lead={lead.data} />
      </section>
    </>
  );
}
