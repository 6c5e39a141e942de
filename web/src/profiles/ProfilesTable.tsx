import { Link } from "react-router";
import type { FollowUpConfig, Profile } from "../api/types";

function describeSteps(config: FollowUpConfig): string {
  const steps = Object.entries(config).sort(([a], [b]) => Number(a) - Number(b));
  if (steps.length === 0) return "None";
  return steps.map(([step, { hours, channel }]) => `${step}: ${hours} h ${channel}`).join(", ");
}

function channels(profile: Profile): string {
  return [profile.smsEnabled ? "SMS" : null, profile.emailEnabled ? "Email" : null]
    .filter(Boolean)
    .join(", ");
}

export function ProfilesTable({ profiles }: { profiles: Profile[] }) {
  if (profiles.length === 0) return <p>No profiles yet. Create the first one below.</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Description</th>
          <th scope="col">Channels</th>
          <th scope="col">Follow-up steps</th>
          <th scope="col">Initial outreach</th>
        </tr>
      </thead>
      <tbody>
        {profiles.map((profile) => (
          <tr key={profile.id}>
            <th scope="row">
              <Link to={`/profiles/${encodeURIComponent(profile.id)}`}>{profile.name}</Link>
            </th>
            <td>{profile.description ?? ""}</td>
            <td>{channels(profile)}</td>
            <td>{describeSteps(profile.followUpConfig)}</td>
            <td>{profile.initialOutreach ? "Yes" : "No"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
