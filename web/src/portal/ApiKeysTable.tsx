import { useRevokeApiKey } from "../api/portal";
import type { ApiKey } from "../api/types";
import { FormError } from "../components/FormError";
import { formatDateTime } from "../format";
import { ConfirmButton } from "./ConfirmButton";

/** The org's live keys (never the keys themselves); each can be revoked. */
export function ApiKeysTable({ keys, currentKeyId }: { keys: ApiKey[]; currentKeyId: string }) {
  const revoke = useRevokeApiKey();
  return (
    <>
      <FormError error={revoke.error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Starts with</th>
            <th scope="col">Kind</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => {
            const current = key.id === currentKeyId;
            return (
              <tr key={key.id}>
                <th scope="row">
                  {key.name}
                  {current && <span className="hint"> (this session’s key)</span>}
                </th>
                <td>
                  <code>{key.prefix}…</code>
                </td>
                <td>{key.isAdmin ? "Admin" : "Standard"}</td>
                <td>
                  <time dateTime={key.createdAt}>{formatDateTime(key.createdAt)}</time>
                </td>
                <td>
                  {key.lastUsedAt === null ? (
                    "Never"
                  ) : (
                    <time dateTime={key.lastUsedAt}>{formatDateTime(key.lastUsedAt)}</time>
                  )}
                </td>
                <td>
                  <ConfirmButton
                    label={`Revoke ${key.name}`}
                    confirmLabel="Revoke for good"
                    question={
                      current
                        ? "You signed in with this key: revoking it signs you out."
                        : "Calls with this key will be refused."
                    }
                    disabled={revoke.isPending}
                    onConfirm={() => revoke.mutate(key.id)}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
