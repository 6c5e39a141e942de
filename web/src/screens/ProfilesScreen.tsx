import { useProfiles } from "../api/profiles";
import { QueryFailure } from "../components/QueryFailure";
import { ProfileForm } from "../profiles/ProfileForm";
import { ProfilesTable } from "../profiles/ProfilesTable";

export function ProfilesScreen() {
  const profiles = useProfiles();
  return (
    <>
      <title>Profiles · Leadwire</title>
      <h1>Profiles</h1>
      <section aria-labelledby="profiles-heading">
        <h2 id="profiles-heading">All profiles</h2>
        {profiles.isPending && <p role="status">Loading profiles…</p>}
        {profiles.isError && <QueryFailure error={profiles.error} what="the profiles" />}
        {profiles.data && <ProfilesTable profiles={profiles.data} />}
      </section>
      <section aria-labelledby="new-profile-heading" className="panel">
        <h2 id="new-profile-heading">New profile</h2>
        <ProfileForm />
      </section>
    </>
  );
}
