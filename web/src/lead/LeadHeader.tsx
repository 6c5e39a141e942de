import type { Lead } from "../api/types";
import { FlagBadges } from "../components/FlagBadges";
import { describeFollowUpStep, formatDateTime, fullName } from "../format";
import { AiToggle } from "./AiToggle";

export function LeadHeader({ lead }: { lead: Lead }) {
  return (
    <header className="lead-header">
      <div className="screen-title">
        <h1>{fullName(lead)}</h1>
        <AiToggle lead={lead} />
      </div>
      <FlagBadges lead={lead} />
      <dl className="key-values">
        <div>
          <dt>Phone</dt>
          <dd>{lead.phone}</dd>
        </div>
        {lead.email !== null && (
          <div>
            <dt>Email</dt>
            <dd>{lead.email}</dd>
          </div>
        )}
        <div>
          <dt>Profile</dt>
          <dd>{lead.customerProfile}</dd>
        </div>
        <div>
          <dt>Follow-up</dt>
          <dd>
            {describeFollowUpStep(lead.followUpStep)}
            {lead.nextFollowUpAt === null ? (
              ", nothing scheduled"
            ) : (
              <>
                , next <time dateTime={lead.nextFollowUpAt}>{formatDateTime(lead.nextFollowUpAt)}</time>
              </>
            )}
          </dd>
        </div>
      </dl>
      {lead.summary !== null && (
        <p className="summary">
          <strong>Summary:</strong> {lead.summary}
        </p>
      )}
    </header>
  );
}
