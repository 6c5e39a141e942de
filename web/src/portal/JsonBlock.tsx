/** A JSON value, indented, in a block that wraps instead of scrolling. */
export function JsonBlock({ value }: { value: unknown }) {
  return <pre className="code-block">{JSON.stringify(value, null, 2)}</pre>;
}
