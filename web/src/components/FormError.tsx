import { ApiError } from "../api/http";

/** The API's `message` and each field problem, announced when it appears. */
export function FormError({ error }: { error: Error | null }) {
  if (error === null) return null;
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div className="form-error" role="alert">
      <p>{error.message}</p>
      {details.length > 0 && (
        <ul>
          {details.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Messages of the error's details about `path` or anything under it (`followUpConfig.1.channel`). */
export function issuesAt(error: Error | null, path: string): string[] {
  if (!(error instanceof ApiError)) return [];
  return error.details
    .filter((issue) => issue.path === path || issue.path.startsWith(`${path}.`))
    .map((issue) => issue.message);
}
