import { useFocusingToggle } from "../components/useFocusingToggle";

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
  const asking = useFocusingToggle<HTMLButtonElement, HTMLButtonElement>();

  if (!asking.open) {
    return (
      <button
        ref={asking.whenClosed}
        type="button"
        className="button-secondary"
        disabled={disabled}
        onClick={() => asking.setOpen(true)}
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
          asking.setOpen(false, { moveFocus: false });
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button
        ref={asking.whenOpen}
        type="button"
        className="button-secondary"
        onClick={() => asking.setOpen(false)}
      >
        Cancel
      </button>
    </span>
  );
}
