import { useState } from "react";
import { useRotateSecret } from "../api/portal";
import { FormError } from "../components/FormError";
import { formatDateTime } from "../format";
import { ConfirmButton } from "./ConfirmButton";
import { SecretPanel } from "./SecretPanel";

/** Replaces the signing secret and shows the new one once; the old one keeps signing for 24 hours. */
export function RotateSecret({ endpointId }: { endpointId: string }) {
  const rotate = useRotateSecret(endpointId);
  const [rotated, setRotated] = useState<{ secret: string; previousSecretExpiresAt: string } | null>(null);
  const run = () =>
    rotate.mutate(undefined, {
      onSuccess: (answer) => {
        setRotated(answer);
        rotate.reset();
      },
    });
  return (
    <div className="rotate">
      <ConfirmButton
        label="Rotate secret"
        confirmLabel="Rotate now"
        question="Make a new signing secret?"
        disabled={rotate.isPending}
        onConfirm={run}
      />
      <FormError error={rotate.error} />
      {rotated !== null && (
        <SecretPanel
          title="New signing secret"
          label="New signing secret"
          secret={rotated.secret}
          onDismiss={() => setRotated(null)}
        >
          <p>
            Requests are signed with both the new and the old secret until{" "}
            <time dateTime={rotated.previousSecretExpiresAt}>
              {formatDateTime(rotated.previousSecretExpiresAt)}
            </time>
            : switch your receiver to the new one before then.
          </p>
        </SecretPanel>
      )}
    </div>
  );
}
