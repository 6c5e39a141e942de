import { type ReactNode, useEffect, useId, useRef } from "react";
import { CopyButton } from "./CopyButton";

/**
 * A secret the server shows once (a signing secret, an API key): it lives only in the caller's
 * state, so dismissing the panel or reloading the page loses it for good.
 */
export function SecretPanel({
  title,
  label,
  copyLabel = `Copy ${label.toLowerCase()}`,
  secret,
  children,
  onDismiss,
}: {
  title: string;
  label: string;
  copyLabel?: string;
  secret: string;
  children?: ReactNode;
  onDismiss: () => void;
}) {
  const id = useId();
  const panel = useRef<HTMLElement>(null);
  const before = useRef<Element | null>(null);
  useEffect(() => {
    // Once: StrictMode runs effects twice in development.
    if (before.current === null) before.current = document.activeElement;
    panel.current?.focus();
  }, []);
  // Focus goes back where it was (the form's button), else to the first button beside the panel.
  const dismiss = () => {
    const back = before.current;
    const fallback = panel.current?.parentElement?.querySelector<HTMLElement>("button");
    onDismiss();
    if (back instanceof HTMLElement && back.isConnected && back !== document.body) back.focus();
    else fallback?.focus();
  };
  return (
    <section ref={panel} tabIndex={-1} aria-labelledby={`${id}-title`} className="panel secret-panel">
      <h3 id={`${id}-title`}>{title}</h3>
      <p>
        <strong>Copy it now: it is shown only this once.</strong> Leadwire keeps no readable copy.
      </p>
      {children}
      <div className="field">
        <label htmlFor={`${id}-value`}>{label}</label>
        <input
          id={`${id}-value`}
          className="secret-value"
          readOnly
          value={secret}
          spellCheck={false}
          autoComplete="off"
          onFocus={(event) => event.currentTarget.select()}
        />
      </div>
      <div className="actions">
        <CopyButton text={secret} label={copyLabel} />
        <button type="button" onClick={dismiss}>
          Done, hide it
        </button>
      </div>
    </section>
  );
}
