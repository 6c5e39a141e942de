import { Link } from "react-router";
import type { Lead } from "../api/types";
import { FlagBadges } from "../components/FlagBadges";
import { describeFollowUpStep, fullName } from "../format";

export function LeadsTable({ leads, filtered }: { leads: Lead[]; filtered: boolean }) {
  if (leads.length === 0) {
    return <p>{filtered ? "No leads match this search." : "No leads yet. Add one with “New lead”."}</p>;
  }
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Phone</th>
          <th scope="col">Profile</th>
          <th scope="col">Flags</th>
          <th scope="col">Tags</th>
          <th scope="col">Follow-up</th>
        </tr>
      </thead>
      <tbody>
        {leads.map((lead) => (
          <tr key={lead.id}>
            <td>
              <Link to={`/leads/${encodeURIComponent(lead.id)}`}>{fullName(lead)}</Link>
              {lead.email !== null && <span className="lead-email">{lead.email}</span>}
            </td>
            <td>{lead.phone}</td>
            <td>{lead.customerProfile}</td>
            <td>
              <FlagBadges lead={lead} />
            </td>
            <td>{lead.tags.map((tag) => tag.name).join(", ")}</td>
            <td>{describeFollowUpStep(lead.followUpStep)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
