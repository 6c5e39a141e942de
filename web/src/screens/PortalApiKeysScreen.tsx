import { useApiKeys } from "../api/portal";
import { useSession } from "../api/session";
import { QueryFailure } from "../components/QueryFailure";
import { ApiKeysTable } from "../portal/ApiKeysTable";
import { NewApiKeyForm } from "../portal/NewApiKeyForm";

/** The organisation's API keys: list, create (the key shown once), revoke. */
export function PortalApiKeysScreen() {
  const keys = useApiKeys();
  const session = useSession();
  return (
    <>
      <title>API keys · Developer Portal · Leadwire</title>
      <h1>API keys</h1>
      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">Keys in use</h2>
        {keys.isPending && <p role="status">Loading keys…</p>}
        {keys.isError && <QueryFailure error={keys.error} what="the API keys" />}
        {keys.data && <ApiKeysTable keys={keys.data} currentKeyId={session.data?.keyId ?? ""} />}
      </section>
      <section aria-labelledby="new-key-heading" className="panel">
        <h2 id="new-key-heading">New key</h2>
        <NewApiKeyForm canCreateAdmin={session.data?.isAdmin === true} />
      </section>
    </>
  );
}
