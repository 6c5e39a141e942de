import { Link, useParams } from "react-router";
import { useProfile } from "../api/profiles";
import { QueryFailure } from "../components/QueryFailure";
import { DeleteProfile } from "../profiles/DeleteProfile";
import { EditProfileForm } from "../profiles/EditProfileForm";

/** One profile: `GET /v1/profiles/{id}` prefills the editor. */
export function ProfileScreen() {
  const profileId = useParams().profileId ?? "";
  const profile = useProfile(profileId);
  if (profile.data === undefined) {
    return profile.isError ? (
      <>
        <h1>Profile</h1>
        <QueryFailure error={profile.error} what="this profile" />
        <p>
          <Link to="/profiles">Back to the profiles</Link>
        </p>
      </>
    ) : (
      <p role="status">Loading the profile…</p>
    );
  }
  const { data } = profile;
  return (
    <>
      <title>{`${data.name} · Profiles · Leadwire`}</title>
      <p>
        <Link to="/profiles">All profiles</Link>
      </p>
      <h1>Profile: {data.name}</h1>
      <section aria-labelledby="edit-profile-heading" className="panel">
        <h2 id="edit-profile-heading">Edit</h2>
        <EditProfileForm key={profileId} profile={data} />
      </section>
      <section aria-labelledby="delete-profile-heading" className="panel">
        <h2 id="delete-profile-heading">Delete</h2>
        <p className="hint">A profile that leads still use cannot be deleted.</p>
        <DeleteProfile profileId={data.id} name={data.name} />
      </section>
    </>
  );
}
