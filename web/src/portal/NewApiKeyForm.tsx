import { type FormEvent, useId, useState } from "react";
import { useCreateApiKey } from "../api/portal";
import { FormError } from "../components/FormError";
import { TextField } from "../components/TextField";
import { SecretPanel } from "./SecretPanel";

/** Creates a key; the key itself is in the answer only and is shown once, here. */
export function NewApiKeyForm({ canCreateAdmin }: { canCreateAdmin: boolean }) {
  const id = useId();
  const create = useCreateApiKey();
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setCreated(null);
    create.mutate(
      { name: String(data.get("name") ?? "").trim(), isAdmin: data.get("isAdmin") === "on" },
      {
        onSuccess: (answer) => {
          form.reset();
          setCreated({ name: answer.name, key: answer.key });
          create.reset();
        },
      },
    );
  };
  return (
    <>
      <form onSubmit={submit} className="form">
        <TextField
          label="Name"
          name="name"
          required
          autoComplete="off"
          hint="Who or what uses it, e.g. CRM sync"
          error={create.error}
        />
        {canCreateAdmin && (
          <div className="checkbox">
            <input id={`${id}-admin`} name="isAdmin" type="checkbox" />
            <label htmlFor={`${id}-admin`}>Admin key (may create organisations and admin keys)</label>
          </div>
        )}
        <FormError error={create.error} />
        <button type="submit" disabled={create.isPending}>
          Create key
        </button>
      </form>
      {created !== null && (
        <SecretPanel
          title={`API key “${created.name}” created`}
          label="API key"
          copyLabel="Copy API key"
          secret={created.key}
          onDismiss={() => setCreated(null)}
        >
          <p>
            Send it in the <code>x-api-key</code> header, or sign in to this app with it.
          </p>
        </SecretPanel>
      )}
    </>
  );
}
