import { useTags } from "../api/tags";
import { QueryFailure } from "../components/QueryFailure";
import { NewTagForm } from "../tags/NewTagForm";
import { TagsTable } from "../tags/TagsTable";
import "../tags/tags.css";

/** The org's tags: list (all at once, as `GET /v1/tags` answers), create, edit a condition, delete. */
export function TagsScreen() {
  const tags = useTags();
  return (
    <>
      <title>Tags · Leadwire</title>
      <h1>Tags</h1>
      <section aria-labelledby="tags-heading">
        <h2 id="tags-heading">All tags</h2>
        <p className="hint">
          A tag with a condition is put on a lead by the assistant when the conversation meets it; any tag can
          be set by hand on a lead's page.
        </p>
        {tags.isPending && <p role="status">Loading tags…</p>}
        {tags.isError && <QueryFailure error={tags.error} what="the tags" />}
        {tags.data && <TagsTable tags={tags.data} />}
      </section>
      <section aria-labelledby="new-tag-heading" className="panel">
        <h2 id="new-tag-heading">New tag</h2>
        <NewTagForm />
      </section>
    </>
  );
}
