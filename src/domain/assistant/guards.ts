import type { Channel, Draft } from "./assistant.js";

/** No SMS is ever longer than this, whatever a profile allows (messaging.md). */
export const HARD_SMS_LIMIT = 1600;

export interface GuardRules {
  channel: Channel;
  /** The profile's limit for SMS text (characters). */
  maxSmsLength: number;
  bookingUrl: string | null;
  /** Our own public URL: unsubscribe links live under it. */
  publicUrl: string;
  allowedDomains: readonly string[];
  /** The opt-out line the text must end with (the first SMS to a lead, when settings ask), else null. */
  optOutLine: string | null;
  discloseAi: boolean;
}

// Links written out (http…, www.…) and bare domains a phone would turn into links (acme.com/x).
const LINK =
  /\bhttps?:\/\/[^\s<>"')]+|\bwww\.[^\s<>"')]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|us|info|biz|app|ly|me)\b(?:\/[^\s<>"')]*)?/gi;

const CLAIMS_HUMAN = [
  /\b(?:i am|i'm|im)\s+(?:a\s+)?(?:real\s+)?(?:human|person)\b/i,
  /\b(?:i am|i'm|im)\s+not\s+an?\s+(?:ai|bot|robot|assistant|machine)\b/i,
  /\bnot\s+an?\s+(?:ai|bot|robot)\b/i,
  /\breal\s+person\s+here\b/i,
];

function hostOf(link: string): string | undefined {
  const url = URL.parse(/^https?:\/\//i.test(link) ? link : `https://${link}`);
  return url?.hostname.toLowerCase().replace(/^www\./, "");
}

function linkAllowed(link: string, rules: GuardRules): boolean {
  const trimmed = link.replace(/[.,;:!?]+$/, "");
  if (rules.bookingUrl !== null && trimmed.startsWith(rules.bookingUrl)) return true;
  if (trimmed.startsWith(`${rules.publicUrl}/unsubscribe/`)) return true;
  const host = hostOf(trimmed);
  if (host === undefined) return false;
  return rules.allowedDomains.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** The draft with what we add ourselves (the opt-out line), trimmed. */
export function finishDraft(draft: Draft, rules: GuardRules): Draft {
  let text = draft.text.trim();
  const line = rules.optOutLine;
  if (rules.channel === "sms" && line !== null && !text.toLowerCase().endsWith(line.toLowerCase())) {
    text = `${text}${/[.!?]$/.test(text) ? "" : "."} ${line}`;
  }
  return { text, subject: rules.channel === "email" ? (draft.subject?.trim() ?? null) : null };
}

/**
 * Why a draft may not be sent (assistant.md: length, placeholders, links, opt-out line,
 * disclosure), or undefined when it may. The reason is written for the brain's rewrite and for
 * the operator reading the timeline.
 */
export function draftProblem(draft: Draft, rules: GuardRules): string | undefined {
  const text = draft.text;
  if (text.trim() === "") return "the draft is empty";
  if (/\{\{|\}\}/.test(text) || (draft.subject !== null && /\{\{|\}\}/.test(draft.subject)))
    return "the draft still has a {{placeholder}}";
  if (rules.channel === "sms") {
    const limit = Math.min(rules.maxSmsLength, HARD_SMS_LIMIT);
    if (text.length > limit) return `the SMS is ${text.length} characters; at most ${limit} are allowed`;
    if (rules.optOutLine !== null && !text.toLowerCase().endsWith(rules.optOutLine.toLowerCase()))
      return `the first SMS must end with "${rules.optOutLine}"`;
  } else {
    const subject = draft.subject?.trim() ?? "";
    if (subject === "") return "an email needs a subject";
    if (subject.length > 998 || /[\r\n]/.test(subject))
      return "the subject must be one line of at most 998 characters";
  }
  for (const match of text.matchAll(LINK)) {
    if (!linkAllowed(match[0], rules))
      return `the draft links to ${match[0]}, which is not the booking link, the unsubscribe link or an allowed domain`;
  }
  if (rules.discloseAi && CLAIMS_HUMAN.some((pattern) => pattern.test(text)))
    return "the draft claims to be a person, but settings say the assistant must disclose it is one";
  return undefined;
}
