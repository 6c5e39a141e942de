import type { FormEvent } from "react";
import { useUpdateTag } from "../api/tags";
import type { Tag } from "../api/types";
import { FormError } from "../components/FormError";
import { TextField } from "../components/TextField";
import { useFocusingToggle } from "../components/useFocusingToggle";
import { CONDITION_HINT, conditionOf } from "./condition";

/**
 * A tag's condition, edited in place: "Edit condition" opens a small form (focus moves into its
 * box); saving or cancelling closes it and puts focus back on the button.
 */
export function TagConditionCell({ tag }: { tag: Tag }) {
  const editing = useFocusingToggle<HTMLInputElement, HTMLButtonElement>();
  const update = useUpdateTag(tag.id);
  const edit = (value: boolean) => {
    update.reset();
    editing.setOpen(value);
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    update.mutate(
      { condition: conditionOf(new FormData(event.currentTarget)) },
      { onSuccess: () => edit(false) },
    );
  };

  if (!editing.open) {
    return (
      <div className="tag-condition">
        {tag.condition === undefined ? <span className="hint">None (set by hand only)</span> : tag.condition}
        <button
          ref={editing.whenClosed}
          type="button"
          className="button-secondary"
          onClick={() => edit(true)}
        >
          Edit condition<span className="visually-hidden"> of {tag.name}</span>
        </button>
      </div>
    );
  }
  return (
    <form onSubmit={submit} className="form">
      <TextField
        ref={editing.whenOpen}
        label={`Condition of ${tag.name}`}
        name="condition"
        defaultValue={tag.condition ?? ""}
        maxLength={500}
        autoComplete="off"
        hint={CONDITION_HINT}
        error={update.error}
      />
      <FormError error={update.error} />
      <div className="tag-edit-actions">
        <button type="submit" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save condition"}
        </button>
        <button type="button" className="button-secondary" onClick={() => edit(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
