import { Link, useParams, useSearchParams } from "react-router";
import { useLead } from "../api/leads";
import { QueryFailure } from "../components/QueryFailure";
import { fullName } from "../format";
import { AdditionalInfo } from "../lead/AdditionalInfo";
import { ConversationThread } from "../lead/ConversationThread";
import { DoNotContact } from "../lead/DoNotContact";
import { FollowUpState } from "../lead/FollowUpState";
import { LeadHeader } from "../lead/LeadHeader";
import { LeadTags } from "../lead/LeadTags";
import { SendMessageForm } from "../lead/SendMessageForm";
import { TimelineFilter } from "../lead/TimelineFilter";
import { readTimelineTypes } from "../lead/timelineTypes";
import "../leads/leads.css";

export function LeadScreen() {
  const leadId = useParams().leadId ?? "";
  const [params] = useSearchParams();
  const types = readTimelineTypes(params);
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
      <div className="lead-columns">
        <div>
          <section aria-labelledby="conversation-heading">
            <h2 id="conversation-heading">Conversation</h2>
            <TimelineFilter />
            <ConversationThread leadId={leadId} leadName={name} types={types} />
          </section>
          <section aria-labelledby="send-heading">
            <h2 id="send-heading">Send a message</h2>
            <SendMessageForm lead={lead.data} />
          </section>
        </div>
        <div className="lead-panel">
          <section aria-labelledby="follow-up-heading" className="panel">
            <h2 id="follow-up-heading">Follow-up</h2>
            <FollowUpState lead={lead.data} />
          </section>
          <section aria-labelledby="tags-heading" className="panel">
            <h2 id="tags-heading">Tags</h2>
            <LeadTags lead={lead.data} />
          </section>
          <section aria-labelledby="info-heading" className="panel">
            <h2 id="info-heading">Additional info</h2>
            <AdditionalInfo lead={lead.data} />
          </section>
          <section aria-labelledby="dnc-heading" className="panel">
            <h2 id="dnc-heading">Do not contact</h2>
            <DoNotContact lead={lead.data} />
          </section>
        </div>
      </div>
    </>
  );
}
