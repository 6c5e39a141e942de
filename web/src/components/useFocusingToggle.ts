import { useCallback, useEffect, useRef, useState } from "react";

/**
 * Two states (asking to confirm, editing in place) whose focus follows the person: opening moves it
 * to `whenOpen` (a Cancel button, the box to edit), closing back to `whenClosed` (the button that
 * opened it). Nothing moves on the first render, or when closed with `{ moveFocus: false }` (after
 * the action itself, when its result decides what is shown).
 */
export function useFocusingToggle<Open extends HTMLElement, Closed extends HTMLElement>() {
  const [open, setOpenState] = useState(false);
  const moveFocus = useRef(false);
  const whenOpen = useRef<Open>(null);
  const whenClosed = useRef<Closed>(null);
  useEffect(() => {
    if (moveFocus.current) (open ? whenOpen : whenClosed).current?.focus();
  }, [open]);
  const setOpen = useCallback((value: boolean, options: { moveFocus?: boolean } = {}) => {
    moveFocus.current = options.moveFocus ?? true;
    setOpenState(value);
  }, []);
  return { open, setOpen, whenOpen, whenClosed };
}
