import { type FormEvent, useId, useState } from "react";
import { useReplaceLeadTags } from "../api/leads";
import { useTags } from "../api/tags";
import type { Lead } from "../api/types";
import { FormError } from "../components/FormError";
import { QueryFailure } from "../components/QueryFailure";

/**
 * The org's tags as checkboxes, the lead's own checked; saving replaces the lead's tags
 * (`PUT /v1/leads/{id}/tags`). Built-in tags (hasReplied, isHot, isQualified) set their flag too.
 */
export function LeadTags({ lead }: { lead: Lead }) {
  const tags = useTags();
  const replace = useReplaceLeadTags(lead.id);
  const [saved, setSaved] = useState(false);
  const id = useId();
  if (tags.data === undefined) {
    return tags.isError ? (
      <QueryFailure error={tags.error} what="the tags" />
    ) : (
      <p role="status">Loading tags…</p>
    );
  }
  const current = new Set(lead.tags.map((tag) => tag.id));
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setSaved(false);
    replace.mutate(data.getAll("tagIds").map(String), { onSuccess: () => setSaved(true) });
  };
  return (
    <>
      {/* Remounted when the lead's tags change (here or elsewhere), so the boxes show them. */}
      <form key={[...current].sort().join(",")} onSubmit={submit} className="form">
        <fieldset>
          <legend>Tags of this lead</legend>
          {tags.data.map((tag) => (
            <div className="checkbox" key={tag.id}>
              <input
                id={`${id}-${tag.id}`}
                type="checkbox"
                name="tagIds"
                value={tag.id}
                defaultChecked={current.has(tag.id)}
                onChange={() => setSaved(false)}
              />
              <label htmlFor={`${id}-${tag.id}`}>{tag.name}</label>
            </div>
          ))}
        </fieldset>
        <FormError error={replace.error} />
        <button type="submit" disabled={replace.isPending}>
          Save tags
        </button>
      </form>
      <p role="status" className="hint">
        {saved ? "Tags saved." : ""}
      </p>
    </>
  );
}
