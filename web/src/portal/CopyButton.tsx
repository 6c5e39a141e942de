import { useState } from "react";

/** Copies `text` to the clipboard and says whether it worked. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [outcome, setOutcome] = useState("");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setOutcome("Copied.");
    } catch {
      setOutcome("Could not copy here: select the text and copy it.");
    }
  };
  return (
    <span className="copy">
      <button type="button" className="button-secondary" onClick={copy}>
        {label}
      </button>
      <span role="status" className="hint">
        {outcome}
      </span>
    </span>
  );
}
