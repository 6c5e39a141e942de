import type {
  AssistantProfile,
  Channel,
  ConversationTurn,
  Draft,
  DraftRequest,
  Intent,
} from "../../../domain/assistant/assistant.js";

/**
 * The rules brain's writing: built-in wording filled from the profile's fields. Everything it says
 * is either our own wording or text the operator wrote in the profile, so it can never promise a
 * fact it does not know; SMS are assembled from sentences and shortened by dropping whole
 * sentences, never by cutting text.
 */

// The same shapes the send guard treats as links (guards.ts): profile text carrying one would get
// the draft refused, so such text is left out rather than risked.
const LINK_LIKE =
  /\bhttps?:\/\/\S+|\bwww\.\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|us|info|biz|app|ly|me)\b/i;
const LINK_LIKE_ALL = new RegExp(LINK_LIKE.source, "gi");

/** Abbreviations whose period does not end a sentence in a description. */
const ABBREVIATION =
  /(?:^|\s)(?:Dr|Mr|Mrs|Ms|St|Inc|Ltd|Co|Corp|LLC|Jr|Sr|vs|etc|e\.g|i\.e|U\.S|No|Mt|Ave|Blvd|[A-Z])\.$/;

/** A description's first word that makes it a sentence about us rather than a noun phrase. */
const PRONOUN_START = /^(?:we|we're|we've|we'll|our|i|i'm|i've|my)\b/i;

/**
 * Verbs that make a description a full clause ("Sunrise Realty helps families…"). Only forms that
 * are rarely nouns: "help", "repairs" or "designs" start noun phrases as often as clauses, and a
 * clause with a pronoun subject is caught by PRONOUN_START anyway.
 */
const CLAUSE_VERB =
  /\b(?:is|are|was|were|has|have|helps|offers|provides|builds|sells|serves|specializes|specialises|installs|connects|delivers|brings|focuses|teaches|manages|creates|gives|handles|operates|owns|makes)\b/i;

/** How a direct question starts; an instruction like "ask them what their budget is?" is indirect. */
const QUESTION_START =
  /^(?:what|what's|when|where|which|who|whom|whose|how|why|do|does|did|are|is|was|were|have|has|had|can|could|would|will|should|shall|may|might|any|anything)\b/i;

const MAX_QUESTION_LENGTH = 160;
const MAX_SUBJECT_LENGTH = 150;

type Offer = { kind: "phrase"; text: string } | { kind: "clause"; text: string };

/** How much optional material a draft carries; each level drops more, `compact` is the shortest. */
type Level = "full" | "noOffer" | "plain" | "compact";
const LEVELS: readonly Level[] = ["full", "noOffer", "plain", "compact"];

interface Context {
  channel: Channel;
  /** The lead's first name, or null when it is missing or unusable. */
  first: string | null;
  /** "Ava, the virtual assistant for Sunrise Realty" or "Ava from Sunrise Realty". */
  who: string;
  org: string;
  assistantName: string | null;
  discloseAi: boolean;
  offer: Offer | null;
  question: string | null;
  url: string | null;
  /** Whether the draft must introduce the sender (nothing sent to this lead yet, or they asked). */
  introduce: boolean;
}

interface Body {
  /** Paragraphs of sentences; the first sentence is always our own wording. */
  paragraphs: string[][];
  /** Whether the SMS opens with "Hi <name>," (outreach) rather than going straight in (a reply). */
  greet: boolean;
  /** Whether the lead's name may be used (not for a wrong number: it is someone else). */
  named: boolean;
}

/** Text with whitespace tidied, or "" when it holds braces: a template's leftover, not a name. */
function usable(text: string): string {
  return /[{}]/.test(text) ? "" : text.replace(/\s+/g, " ").trim();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Lower-cases a sentence's first letter to follow "Hi Dana,", except for "I" and its contractions. */
function continueSentence(sentence: string): string {
  if (/^I(?:\b|')/.test(sentence)) return sentence;
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

function stripQuotes(text: string): string {
  return text.replace(/^["'“”‘’\s]+|["“”\s]+$/g, "").trim();
}

/** The first sentence of a description, without its final period; null when there is none. */
export function firstSentence(description: string): string | null {
  const paragraph = description.trim().split(/\n/)[0] ?? "";
  let end = paragraph.length;
  for (const match of paragraph.matchAll(/[.!?](?=\s|$)/g)) {
    const candidate = paragraph.slice(0, match.index + 1);
    if (match[0] === "." && ABBREVIATION.test(candidate)) continue;
    end = match.index + 1;
    break;
  }
  const sentence = stripQuotes(paragraph.slice(0, end).trim());
  if (sentence.endsWith("?")) return null;
  const text = sentence.replace(/[.!\s]+$/, "").trim();
  return text.length < 3 ? null : text;
}

function nameWords(profileName: string): Set<string> {
  return new Set(
    profileName
      .toLowerCase()
      .split(/\s+/)
      .filter((word) => word !== ""),
  );
}

/**
 * What we offer, from the description's first sentence: a clause stands as its own sentence; a
 * noun phrase is woven into ours ("your interest in home cleaning"), lower-cased only when its
 * first word looks like an ordinary word rather than a name or an acronym.
 */
function readOffer(description: string | null, profileName: string): Offer | null {
  if (description === null) return null;
  const sentence = firstSentence(description);
  if (sentence === null || /[{}]/.test(sentence) || LINK_LIKE.test(sentence)) return null;
  if (PRONOUN_START.test(sentence) || CLAUSE_VERB.test(sentence)) return { kind: "clause", text: sentence };
  const words = sentence.split(/\s+/);
  const [head = "", second] = words;
  if (/^(?:a|an|the)$/i.test(head)) return { kind: "clause", text: `We're ${lowerFirst(sentence)}` };
  const ordinary =
    /^[A-Z][a-z'-]*$/.test(head) &&
    !nameWords(profileName).has(head.toLowerCase()) &&
    !(second !== undefined && /^[A-Z]/.test(second));
  return { kind: "phrase", text: ordinary ? lowerFirst(sentence) : sentence };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Who a description is about when the profile has no name ("Sunrise Realty helps…" → Sunrise Realty). */
function descriptionSubject(description: string | null): string | null {
  if (description === null) return null;
  const sentence = firstSentence(description);
  if (sentence === null || PRONOUN_START.test(sentence) || LINK_LIKE.test(sentence)) return null;
  const verb = CLAUSE_VERB.exec(sentence);
  const before = (verb === null ? (sentence.split(",")[0] ?? "") : sentence.slice(0, verb.index)).trim();
  const words = before.split(/\s+/).filter((word) => word !== "");
  if (words.length === 0 || words.length > 5 || !words.every((word) => /^[A-Z0-9&]/.test(word))) return null;
  return usable(before) || null;
}

/**
 * The first direct question in the instructions ("Ask: What is your budget?" → "What is your
 * budget?"); instructions that only describe tone, or ask indirectly, give none.
 */
export function instructionsQuestion(instructions: string | null): string | null {
  if (instructions === null) return null;
  for (const raw of instructions.split(/(?<=[.!?]["”’']?)\s+|\n+/)) {
    const sentence = stripQuotes(raw.trim());
    if (!sentence.endsWith("?")) continue;
    const question = stripQuotes(
      sentence.replace(
        /^(?:(?:always|please|then|also|first)\s+)?(?:ask|find out|check)(?:\s+(?:them|the lead|leads|the customer|customers|him|her|people|everyone))?\s*(?:[:\-–]|(?=["“'‘]))\s*/i,
        "",
      ),
    );
    if (!QUESTION_START.test(question)) continue;
    if (/[{}]/.test(question) || LINK_LIKE.test(question) || question.length > MAX_QUESTION_LENGTH) continue;
    return capitalize(question);
  }
  return null;
}

/** The booking link when it is a usable http(s) URL; anything else is treated as absent. */
function usableUrl(bookingUrl: string | null): string | null {
  const url = bookingUrl?.trim() ?? "";
  if (url === "" || /[\s{}]/.test(url) || !/^https?:\/\//i.test(url)) return null;
  return URL.canParse(url) ? url : null;
}

function usableFirstName(firstName: string): string | null {
  const name = usable(firstName);
  if (name === "" || LINK_LIKE.test(name) || name.length > 40) return null;
  return name;
}

function withoutLinks(text: string): string {
  return text.replace(LINK_LIKE_ALL, "").replace(/\s+/g, " ").trim();
}

function contextOf(request: DraftRequest, linkProblem: boolean): Context {
  const profile: AssistantProfile = request.profile;
  const clean = (text: string): string => (linkProblem ? withoutLinks(usable(text)) : usable(text));
  const org = clean(profile.name) || descriptionSubject(profile.description) || "our team";
  const assistantName = clean(profile.assistantName) || null;
  let who: string;
  if (profile.discloseAi) {
    who =
      assistantName === null
        ? `the virtual assistant for ${org}`
        : `${assistantName}, the virtual assistant for ${org}`;
  } else {
    who = assistantName === null ? `the team at ${org}` : `${assistantName} from ${org}`;
  }
  const last = lastInbound(request.conversation);
  const askedWho = last !== null && /\bwho\s*(?:is|'s|’s|are)\s*(?:this|that|you)\b/i.test(last.text);
  const sentBefore = request.conversation.some((turn) => turn.direction === "outbound");
  return {
    channel: request.channel,
    first: usableFirstName(request.lead.firstName),
    who,
    org,
    assistantName,
    discloseAi: profile.discloseAi,
    offer: readOffer(profile.description, profile.name),
    question: instructionsQuestion(profile.instructions),
    url: linkProblem ? null : usableUrl(profile.bookingUrl),
    introduce: !sentBefore || askedWho,
  };
}

function lastInbound(conversation: readonly ConversationTurn[]): ConversationTurn | null {
  for (let index = conversation.length - 1; index >= 0; index--) {
    const turn = conversation[index];
    if (turn?.direction === "inbound") return turn;
  }
  return null;
}

function introSentence(ctx: Context): string {
  return `This is ${ctx.who}.`;
}

/** ", Dana" inside an SMS sentence; email already greets by name on its own line. */
function nameSuffix(ctx: Context): string {
  return ctx.channel === "sms" && ctx.first !== null ? `, ${ctx.first}` : "";
}

function offerPhrase(ctx: Context, level: Level, lead: string): string {
  return level === "full" && ctx.offer?.kind === "phrase" ? `${lead} ${ctx.offer.text}` : "";
}

function offerClause(ctx: Context, level: Level): string[] {
  return level === "full" && ctx.offer?.kind === "clause" ? [`${ctx.offer.text}.`] : [];
}

function bookingLine(ctx: Context, withoutUrl: string): string {
  return ctx.url === null ? withoutUrl : `Pick a time here: ${ctx.url}`;
}

/**
 * The instructions' question while the level keeps it; once it is dropped to save room, a short
 * ask takes its place (the longer generic ask would cost more room than the question did).
 */
function withQuestion(ctx: Context, level: Level, otherwise: string, short: string): string {
  if (level !== "full" && level !== "noOffer") return short;
  return ctx.question ?? otherwise;
}

function outreach(paragraphs: string[][]): Body {
  return { paragraphs, greet: true, named: true };
}

function initialBody(ctx: Context, level: Level): Body {
  if (level === "compact") return outreach([[introSentence(ctx), "When is a good time to talk?"]]);
  const thanks =
    level === "full" && ctx.offer?.kind === "phrase"
      ? `Thanks for your interest in ${ctx.offer.text}.`
      : "Thanks for reaching out.";
  return outreach([
    [introSentence(ctx), thanks, ...offerClause(ctx, level)],
    [
      withQuestion(
        ctx,
        level,
        "What are you looking for, and when is a good time to talk?",
        "When is a good time to talk?",
      ),
    ],
  ]);
}

function stepBody(ctx: Context, level: Level, step: number): Body {
  const intro = introSentence(ctx);
  const noUrlAsk = "What day and time work for a quick call?";
  if (step <= 1) {
    if (level === "compact") return outreach([[intro, "Just checking in. Any questions I can help with?"]]);
    return outreach([
      [
        intro,
        `Just checking in on your request${offerPhrase(ctx, level, " about")}.`,
        ...offerClause(ctx, level),
      ],
      [
        withQuestion(
          ctx,
          level,
          "Do you have any questions I can help with?",
          "Any questions I can help with?",
        ),
      ],
    ]);
  }
  if (step === 2) {
    if (level === "compact") return outreach([[intro, "Following up.", bookingLine(ctx, noUrlAsk)]]);
    return outreach([
      [intro, "Following up in case my last message got buried.", ...offerClause(ctx, level)],
      [bookingLine(ctx, noUrlAsk)],
    ]);
  }
  const replyAsk = "If so, just reply with a day and time that work for you.";
  if (step === 3) {
    if (level === "compact") return outreach([[intro, "Still interested?", bookingLine(ctx, replyAsk)]]);
    return outreach([
      [
        intro,
        `Are you still looking for help${offerPhrase(ctx, level, " with")}?`,
        ...offerClause(ctx, level),
      ],
      [bookingLine(ctx, replyAsk)],
    ]);
  }
  const whenReady = "Whenever you're ready, just reply here and we'll find a time that works.";
  const ready =
    ctx.url === null
      ? whenReady
      : `Whenever you're ready${offerPhrase(ctx, level, " to talk about")}, pick a time here: ${ctx.url}`;
  if (level === "compact") return outreach([[intro, "No rush.", bookingLine(ctx, whenReady)]]);
  const inbox = ctx.channel === "sms" ? "your messages" : "your inbox";
  return outreach([
    [intro, `I don't want to crowd ${inbox}, so I'll keep this short.`, ...offerClause(ctx, level)],
    [ready],
  ]);
}

function nurtureBody(ctx: Context, level: Level): Body {
  const whenRight = "Whenever the timing is right, just reply and we'll pick it up from there.";
  if (level === "compact") return outreach([[introSentence(ctx), bookingLine(ctx, whenRight)]]);
  return outreach([
    [
      introSentence(ctx),
      `We're still here to help${offerPhrase(ctx, level, " with")}.`,
      ...offerClause(ctx, level),
    ],
    [ctx.url === null ? whenRight : `Whenever the timing is right, pick a time here: ${ctx.url}`],
  ]);
}

/** A reply opens with the introduction only when the lead may not know who is writing. */
function reply(ctx: Context, paragraphs: string[][]): Body {
  if (!ctx.introduce) return { paragraphs, greet: false, named: true };
  const [first = [], ...rest] = paragraphs;
  return { paragraphs: [[introSentence(ctx), ...first], ...rest], greet: true, named: true };
}

function replyBody(ctx: Context, level: Level, intent: Intent | null): Body {
  const name = ctx.introduce ? "" : nameSuffix(ctx);
  switch (intent) {
    case "question": {
      const follow = "A teammate will follow up with the details soon.";
      const thanks = `Thanks for your question${name}.`;
      if (ctx.url === null) return reply(ctx, [[thanks, follow]]);
      if (level === "compact") return reply(ctx, [[thanks, follow, bookingLine(ctx, "")]]);
      return reply(ctx, [
        [thanks, follow],
        [`If it's easier to talk it through, pick a time here: ${ctx.url}`],
      ]);
    }
    case "interested": {
      const ask = bookingLine(ctx, "What day and time work for you?");
      if (level === "compact") return reply(ctx, [[`Great to hear${name}!`, ask]]);
      return reply(ctx, [[`Great to hear${name}!`, "The easiest next step is a quick call."], [ask]]);
    }
    case "booking": {
      const ask = bookingLine(ctx, "What day and time work best for you?");
      return reply(ctx, [[`Happy to set that up${name}.`, ask]]);
    }
    case "not_interested":
    case "wrong_number":
    case "do_not_contact":
    case "opt_out_channel":
      return closeBody(ctx, intent);
    default: {
      if (level === "compact") return reply(ctx, [[`Thanks for your message${name}.`]]);
      return reply(ctx, [
        [`Thanks for your message${name}.`, "Is there anything specific I can help you with?"],
      ]);
    }
  }
}

function closeBody(ctx: Context, intent: Intent | null): Body {
  if (intent === "wrong_number") {
    const medium = ctx.channel === "sms" ? "number" : "address";
    const verb = ctx.channel === "sms" ? "text" : "email";
    return {
      paragraphs: [
        [`Sorry for the mix-up, we must have the wrong ${medium}.`, `We won't ${verb} you again.`],
      ],
      greet: false,
      named: false,
    };
  }
  return {
    paragraphs: [[`Understood${nameSuffix(ctx)}, thanks for letting us know.`, "We won't follow up again."]],
    greet: false,
    named: true,
  };
}

function bodyFor(request: DraftRequest, ctx: Context, level: Level): Body {
  switch (request.purpose) {
    case "initial":
      return initialBody(ctx, level);
    case "step":
      return stepBody(ctx, level, request.step ?? 1);
    case "nurture":
      return nurtureBody(ctx, level);
    case "reply":
      return replyBody(ctx, level, request.intent);
    case "close":
      return closeBody(ctx, request.intent);
  }
}

function renderSms(body: Body, ctx: Context): string {
  const sentences = body.paragraphs.flat().filter((sentence) => sentence !== "");
  const [first = "", ...rest] = sentences;
  if (!body.greet) return [first, ...rest].join(" ");
  const greeting = body.named && ctx.first !== null ? `Hi ${ctx.first},` : "Hi there,";
  return [greeting, continueSentence(first), ...rest].join(" ");
}

function signOff(ctx: Context): string {
  if (ctx.assistantName === null)
    return ctx.discloseAi ? `Best,\nThe virtual assistant for ${ctx.org}` : `Best,\n${ctx.org}`;
  return ctx.discloseAi
    ? `Best,\n${ctx.assistantName}\nVirtual assistant, ${ctx.org}`
    : `Best,\n${ctx.assistantName}\n${ctx.org}`;
}

function renderEmail(body: Body, ctx: Context): string {
  const greeting =
    body.named && ctx.first !== null ? `Hi ${ctx.first},` : body.named ? "Hi there," : "Hello,";
  const paragraphs = body.paragraphs
    .map((paragraph) => paragraph.filter((sentence) => sentence !== "").join(" "))
    .filter((paragraph) => paragraph !== "");
  return [greeting, ...paragraphs, signOff(ctx)].join("\n\n");
}

/** Keeps whole words (and so whole links) while they fit; only for limits too small for any wording. */
function keepWholeWords(text: string, max: number): string {
  let kept = "";
  for (const word of text.split(" ")) {
    const next = kept === "" ? word : `${kept} ${word}`;
    if (next.length > max) break;
    kept = next;
  }
  return kept;
}

function replySubject(conversation: readonly ConversationTurn[]): string {
  for (let index = conversation.length - 1; index >= 0; index--) {
    const turn = conversation[index];
    if (turn === undefined || turn.direction !== "inbound" || turn.channel !== "email") continue;
    const subject = usable(turn.subject ?? "")
      .replace(/^(?:(?:re|fwd?|aw|sv)\s*:\s*)+/i, "")
      .trim();
    if (subject === "" || LINK_LIKE.test(subject) || subject.length > MAX_SUBJECT_LENGTH) break;
    return `Re: ${subject}`;
  }
  return "Re: your message";
}

function subjectFor(request: DraftRequest, ctx: Context): string {
  const step = request.step ?? 1;
  switch (request.purpose) {
    case "initial":
      return ctx.org === "our team"
        ? "Following up on your request"
        : `${ctx.org}: following up on your request`;
    case "step":
      if (step <= 1) return "Checking in";
      if (step === 2) return "Following up on your request";
      if (step === 3) return "Still looking for help?";
      return `One more note from ${ctx.org}`;
    case "nurture":
      return `${ctx.org}: here when you're ready`;
    case "reply":
    case "close":
      return replySubject(request.conversation);
  }
}

/** Writes a draft from built-in wording; pure and deterministic (same request, same draft). */
export function writeDraft(request: DraftRequest): Draft {
  const linkProblem =
    request.problem !== null && /\b(?:links?|url|urls|domains?|https?)\b/i.test(request.problem);
  const ctx = contextOf(request, linkProblem);
  // A rewrite starts from the shortest wording: whatever was refused, less text risks less.
  const levels: readonly Level[] = request.problem === null ? LEVELS : ["compact"];
  if (request.channel === "email") {
    const [level = "compact"] = levels;
    return { text: renderEmail(bodyFor(request, ctx, level), ctx), subject: subjectFor(request, ctx) };
  }
  const max = request.maxSmsLength;
  let text = "";
  for (const level of levels) {
    text = renderSms(bodyFor(request, ctx, level), ctx);
    if (text.length <= max) return { text, subject: null };
  }
  return { text: keepWholeWords(text, max), subject: null };
}
