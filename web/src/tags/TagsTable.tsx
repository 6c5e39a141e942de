import { useDeleteTag } from "../api/tags";
import type { Tag } from "../api/types";
import { FormError } from "../components/FormError";
import { ConfirmButton } from "../portal/ConfirmButton";
import { TagConditionCell } from "./TagConditionCell";

/** Every tag of the org: built-in ones (conditions editable, never deleted) and manual ones. */
export function TagsTable({ tags }: { tags: Tag[] }) {
  const remove = useDeleteTag();
  return (
    <>
      <FormError error={remove.error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Condition</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tags.map((tag) => (
            <tr key={tag.id}>
              <th scope="row">{tag.name}</th>
              <td>{tag.isManual ? "Manual" : "Built-in"}</td>
              <td>
                <TagConditionCell tag={tag} />
              </td>
              <td>
                {tag.isManual ? (
                  <ConfirmButton
                    label={`Delete ${tag.name}`}
                    confirmLabel="Delete for good"
                    question="It is taken off every lead that has it."
                    disabled={remove.isPending}
                    onConfirm={() => remove.mutate(tag.id)}
                  />
                ) : (
                  <span className="hint">Built-in tags stay</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
