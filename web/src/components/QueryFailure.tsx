/** A read that failed, said plainly. */
export function QueryFailure({ error, what }: { error: Error; what: string }) {
  return (
    <div className="form-error" role="alert">
      <p>
        Could not load {what}: {error.message}
      </p>
    </div>
  );
}
