import { type FormEvent, useState } from "react";
import { useCreateEndpoint } from "../api/portal";
import type { NewEndpoint } from "../api/types";
import { FormError } from "../components/FormError";
import { TextField } from "../components/TextField";
import { EventFilterFieldset, readEventFilter } from "./EventFilterFieldset";
import { SecretPanel } from "./SecretPanel";

/** Posts to `/v1/webhooks/endpoints`; the answer's signing secret is shown once, here. */
export function NewEndpointForm() {
  const create = useCreateEndpoint();
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  // Remounts the filter fieldset after a create, so it starts again from "every event".
  const [formKey, setFormKey] = useState(0);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const description = String(data.get("description") ?? "").trim();
    const endpoint: NewEndpoint = {
      url: String(data.get("url") ?? "").trim(),
      events: readEventFilter(data),
      ...(description === "" ? {} : { description }),
    };
    setCreated(null);
    create.mutate(endpoint, {
      onSuccess: (saved) => {
        form.reset();
        setFormKey((key) => key + 1);
        setCreated({ url: saved.url, secret: saved.secret });
        create.reset();
      },
    });
  };

  return (
    <>
      <form key={formKey} onSubmit={submit} className="form">
        <TextField
          label="URL"
          name="url"
          type="url"
          required
          autoComplete="off"
          spellCheck={false}
          hint="Where Leadwire POSTs each event, e.g. https://example.com/webhooks/leadwire"
          error={create.error}
        />
        <EventFilterFieldset initial={["*"]} error={create.error} />
        <TextField
          label="Description (optional)"
          name="description"
          autoComplete="off"
          error={create.error}
        />
        <FormError error={create.error} />
        <button type="submit" disabled={create.isPending}>
          Create endpoint
        </button>
      </form>
      {created !== null && (
        <SecretPanel
          title="Endpoint created"
          label="Signing secret"
          secret={created.secret}
          onDismiss={() => setCreated(null)}
        >
          <p>
            Leadwire now signs every request to <code>{created.url}</code> with this secret. Verify the{" "}
            <code>webhook-signature</code> header with it.
          </p>
        </SecretPanel>
      )}
    </>
  );
}
