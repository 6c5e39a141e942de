import type { Lead } from "../api/types";
import { FlagBadges } from "../components/FlagBadges";
import { fullName } from "../format";
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
        {lead.tags.length > 0 && (
          <div>
            <dt>Tags</dt>
            <dd>{lead.tags.map((tag) => tag.name).join(", ")}</dd>
          </div>
        )}
      </dl>
      {lead.summary !== null && (
        <p className="summary">
          <strong>Summary:</strong> {lead.summary}
        </p>
      )}
    </header>
  );
}
