import type { FormEvent } from "react";
import { useCreateTag } from "../api/tags";
import { FormError } from "../components/FormError";
import { TextField } from "../components/TextField";
import { CONDITION_HINT, conditionOf } from "./condition";

/** Creates a manual tag: a name, and optionally the condition under which the assistant applies it. */
export function NewTagForm() {
  const create = useCreateTag();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const condition = conditionOf(data);
    create.mutate(
      { name: String(data.get("name") ?? "").trim(), ...(condition === null ? {} : { condition }) },
      { onSuccess: () => form.reset() },
    );
  };
  return (
    <form onSubmit={submit} className="form" aria-label="New tag">
      <TextField label="Name" name="name" required maxLength={100} autoComplete="off" error={create.error} />
      <TextField
        label="Condition"
        name="condition"
        maxLength={500}
        autoComplete="off"
        hint={CONDITION_HINT}
        error={create.error}
      />
      <FormError error={create.error} />
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create tag"}
      </button>
      <p role="status" className="hint">
        {create.isSuccess ? `Tag “${create.data.name}” created.` : ""}
      </p>
    </form>
  );
}
