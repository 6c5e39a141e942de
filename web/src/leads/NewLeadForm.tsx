import { type FormEvent, useId, useState } from "react";
import { Link } from "react-router";
import { useCreateLead } from "../api/leads";
import { useProfiles } from "../api/profiles";
import type { NewLead } from "../api/types";
import { FormError, issuesAt } from "../components/FormError";
import { TextField } from "../components/TextField";

function ProfileSelect({ error }: { error: Error | null }) {
  const profiles = useProfiles();
  const id = useId();
  const issues = issuesAt(error, "customerProfile");
  if (profiles.data?.length === 0) {
    return (
      <p className="field">
        There is no profile yet: <Link to="/profiles">create a profile</Link> first.
      </p>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>Profile</label>
      <select
        id={id}
        name="customerProfile"
        required
        aria-invalid={issues.length > 0 ? true : undefined}
        aria-describedby={issues.length > 0 ? `${id}-error` : undefined}
      >
        {(profiles.data ?? []).map((profile) => (
          <option key={profile.id} value={profile.name}>
            {profile.name}
          </option>
        ))}
      </select>
      {issues.length > 0 && (
        <p id={`${id}-error`} className="field-error">
          {issues.join("; ")}
        </p>
      )}
    </div>
  );
}

/** Posts to `/v1/leads/create`; on success the list is refreshed and the new lead is one click away. */
export function NewLeadForm() {
  const createLead = useCreateLead();
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    const lead: NewLead = {
      firstName: text("firstName"),
      lastName: text("lastName"),
      phone: text("phone"),
      customerProfile: text("customerProfile"),
      ...(text("email") === "" ? {} : { email: text("email") }),
    };
    setCreated(null);
    createLead.mutate(lead, {
      onSuccess: ({ id }) => {
        form.reset();
        setCreated({ id, name: `${lead.firstName} ${lead.lastName}` });
      },
    });
  };

  const error = createLead.error;
  return (
    <form onSubmit={submit} className="form">
      <div className="field-row">
        <TextField label="First name" name="firstName" required autoComplete="off" error={error} />
        <TextField label="Last name" name="lastName" required autoComplete="off" error={error} />
      </div>
      <div className="field-row">
        <TextField
          label="Phone"
          name="phone"
          type="tel"
          required
          autoComplete="off"
          hint="With the country code, e.g. +1 202 555 0142"
          error={error}
        />
        <TextField label="Email (optional)" name="email" type="email" autoComplete="off" error={error} />
      </div>
      <ProfileSelect error={error} />
      <FormError error={error} />
      <button type="submit" disabled={createLead.isPending}>
        Create lead
      </button>
      {created !== null && (
        <p role="status">
          Lead created: <Link to={`/leads/${encodeURIComponent(created.id)}`}>open {created.name}</Link>
        </p>
      )}
    </form>
  );
}
