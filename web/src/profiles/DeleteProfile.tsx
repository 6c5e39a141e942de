import { useNavigate } from "react-router";
import { useDeleteProfile } from "../api/profiles";
import { FormError } from "../components/FormError";
import { ConfirmButton } from "../portal/ConfirmButton";

/** Deletes the profile after a confirmation; the API refuses (409) while leads use it. */
export function DeleteProfile({ profileId, name }: { profileId: string; name: string }) {
  const remove = useDeleteProfile(profileId);
  const navigate = useNavigate();
  return (
    <div className="delete-profile">
      <ConfirmButton
        label="Delete profile"
        confirmLabel="Yes, delete it"
        question={`Delete the profile “${name}”?`}
        disabled={remove.isPending}
        onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate("/profiles") })}
      />
      <FormError error={remove.error} />
    </div>
  );
}
