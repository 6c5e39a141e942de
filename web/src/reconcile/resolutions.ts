import type { Resolution } from "../api/messages";

interface ResolutionText {
  label: string;
  hint: string;
  question: string;
  confirm: string;
}

/** What each of the operator's choices does, in the words the screen uses. */
export const RESOLUTIONS: Record<Resolution, ResolutionText> = {
  sent: {
    label: "It was sent",
    hint: "The provider has it (check its log): record it like an accepted send.",
    question: "Record this message as sent?",
    confirm: "Yes, mark as sent",
  },
  failed: {
    label: "It failed",
    hint: "The provider never took it: end it without sending.",
    question: "Record this message as failed? It will not be sent.",
    confirm: "Yes, mark as failed",
  },
  resend: {
    label: "Send it again",
    hint: "Queue it again now. If the provider did take it, the lead gets it twice.",
    question: "Queue this message again now?",
    confirm: "Yes, send again",
  },
};

export const RESOLUTION_ORDER: Resolution[] = ["failed", "sent", "resend"];
