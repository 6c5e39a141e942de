/** The lead's additionalInfo as key/value pairs; nested values are shown as JSON. */
export function AdditionalInfo({ info }: { info: Record<string, unknown> }) {
  const entries = Object.entries(info);
  if (entries.length === 0) return <p>Nothing recorded yet.</p>;
  return (
    <dl className="key-values">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{typeof value === "string" ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
