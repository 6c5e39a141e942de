import { useEffect, useRef, useState } from "react";

/**
 * A destructive action in two steps: the first press asks, the second (named `confirmLabel`) acts.
 * Focus follows: to Cancel when asking, back to the first button after Cancel.
 */
export function ConfirmButton({
  label,
  confirmLabel,
  question,
  disabled,
  onConfirm,
}: {
  label: string;
  confirmLabel: string;
  question: string;
  disabled?: boolean;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const changed = useRef(false);
  const first = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!changed.current) return;
    (asking ? cancel : first).current?.focus();
  }, [asking]);
  const ask = (value: boolean) => {
    changed.current = true;
    setAsking(value);
  };

  if (!asking) {
    return (
      <button
        ref={first}
        type="button"
        className="button-secondary"
        disabled={disabled}
        onClick={() => ask(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      <span>{question}</span>
      <button
        type="button"
        className="button-danger"
        disabled={disabled}
        onClick={() => {
          changed.current = false;
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button ref={cancel} type="button" className="button-secondary" onClick={() => ask(false)}>
        Cancel
      </button>
    </span>
  );
}
