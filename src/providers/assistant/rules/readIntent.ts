import type { Channel, Intent } from "../../../domain/assistant/assistant.js";
import {
  readStopOdds,
  STOP_READER_THRESHOLD,
  STOP_READER_TRAINED_ON,
  STOP_READER_VETO,
  type StopOdds,
  type StopReader,
} from "./stopReader.js";

/**
 * The rules brain's reading of an inbound reply: one of the eight intents and one sentence saying
 * why. Pure and deterministic: phrase patterns over a normalised copy of what the lead wrote.
 *
 * Missing a stop request is the worst error (assistant.md), so stop checks run first, and a
 * stop-like word ("stop", "cancel", "remove", "end", "quit") counts as a stop unless a known other
 * sense explains it ("stop by", "bus stop", "don't stop", "stopped working", "end of the month").
 */
export interface IntentReading {
  intent: Intent;
  /** One sentence naming the phrase that decided. */
  reason: string;
  /** For `opt_out_channel`: the channel the lead asked us to stop (not always the one they wrote on). */
  optOutChannel?: Channel | "call";
}

/** The trained reader readIntent consults, and where its word overrides the patterns'. */
export interface TrainedReaderUse extends StopReader {
  /** Its stop stands, though no pattern saw one, from this probability. */
  addAbove: number;
  /** A pattern's stop is read as another sense below this probability. */
  vetoBelow: number;
}

const COMMITTED_READER: TrainedReaderUse = {
  read: readStopOdds,
  trainedOn: STOP_READER_TRAINED_ON,
  addAbove: STOP_READER_THRESHOLD,
  vetoBelow: STOP_READER_VETO,
};

export function readIntent(
  text: string,
  channel: Channel,
  reader: TrainedReaderUse = COMMITTED_READER,
): IntentReading {
  const written = channel === "email" ? leadWrittenPart(text) : text;
  const foreign = FOREIGN_STOP.exec(written);
  if (foreign !== null)
    return { intent: "do_not_contact", reason: `asked to stop all contact ("${foreign[0]}").` };
  const words = normalise(written);
  if (words.tokens.length === 0) {
    return /\p{Extended_Pictographic}/u.test(written)
      ? { intent: "other", reason: "the lead sent only emoji." }
      : { intent: "other", reason: "the message has no words of the lead's own." };
  }

  // A mail server's bounce quotes "removed" and "no longer active" about a mailbox, not a wish.
  const bounce = channel === "email" ? BOUNCE.exec(written.slice(0, 240)) : null;
  if (bounce !== null) return { intent: "other", reason: `a delivery failure notice ("${bounce[0]}").` };

  const stop = readStop(withoutQuotedFooter(words), channel, written);
  const overruled = stop.phrase === undefined ? undefined : veto(stop.phrase, reader, written);
  if (stop.reading !== undefined && overruled === undefined) return stop.reading;
  const andWhy = overruled === undefined ? "" : ` ${overruled}`;

  const autoReply = autoReplyPhrase(written, channel);
  if (autoReply !== undefined) return { intent: "other", reason: `an automatic reply ("${autoReply}").` };

  // The trained reader adds stops the patterns missed, but not where the patterns explained the
  // stop-like word as another sense: it reads "please don't stop texting me" as a stop.
  if (stop.note === undefined && stop.reading === undefined && !RETRACTION.test(written)) {
    const odds = reader.read(written);
    if (odds.stop >= reader.addAbove) return trainedStop(odds, channel, reader.trainedOn);
  }

  const text2 = withoutDoubleNegation(words.text);
  for (const rule of LATER_RULES) {
    const phrase = rule.find(text2, written);
    if (phrase !== undefined) return { intent: rule.intent, reason: `${rule.why} ("${phrase}").${andWhy}` };
  }
  if (stop.note !== undefined) return { intent: "other", reason: stop.note };
  return { intent: "other", reason: `no phrase of any other intent was found.${andWhy}` };
}

/**
 * Why the trained reader overrules a pattern's stop, when it is sure it is another sense. Only a stop
 * that rests on a word with other senses ("stop it 😍", "remove me from the 8am", "opt out of the
 * HOA") can be overruled; a message that opens with a bare keyword ("Stop. Wrong person") and a
 * stop phrase with no other sense ("never requested a quote") stand whatever the reader says.
 */
function veto(phrase: string, reader: TrainedReaderUse, written: string): string | undefined {
  if (reader.vetoBelow <= 0 || OPENING_KEYWORD.test(written) || !AMBIGUOUS_STOP_WORD.test(phrase))
    return undefined;
  // "stop the texts" names contact: there is no other sense left to overrule it with.
  if (phrase.split(" ").some((word) => NAMED_CONTACT.test(word))) return undefined;
  const odds = reader.read(written);
  if (odds.stop >= reader.vetoBelow) return undefined;
  return `Not a stop request: "${phrase}" reads as another sense to a reader trained on ${reader.trainedOn} labelled replies (${Math.ceil(odds.stop * 100)}% a stop).`;
}

/** Contact no other sense of a stop-like word can be about ("stop the texts"); a call may be a meeting. */
const NAMED_CONTACT =
  /^(?:texts|txts|messages|msgs|emails|sms|spam|robocalls|harassment|followups|reaching|contacting|texting|emailing|messaging)$/;

const OPENING_KEYWORD = /^\W*(?:stop|unsubscribe|end|quit|cancel|stop all|optout|opt out)\W*(?:[.!\n]|$)/i;
const AMBIGUOUS_STOP_WORD =
  /\b(?:stop\w*|remov\w*|cancel\w*|opt\w*|quit\w*|end\w*|off|block\w*|delete\w*|leave|report\w*|enough)\b/i;

/** "Text me instead? Just kidding": the lead took back what came before. */
const RETRACTION = /\b(?:just kidding|jk|j\/k|nvm|never ?mind|scratch that)\b/i;

/**
 * Stop requests in languages and scripts the word patterns do not read: Chinese and Japanese
 * (which have no spaces, so no words to match), Korean, Russian (Cyrillic and transliterated),
 * Arabic, Hindi (Devanagari and Latin letters), Vietnamese, Tagalog, Portuguese, French, German,
 * Italian and Polish: the commonest forms of "unsubscribe me", "stop writing to me", "don't
 * contact me", "delete my number".
 */
const FOREIGN_STOP =
  /把我.{0,12}删除|名单\S{0,3}删除|不要打|别打|\bbu yao zai\b|\bbie zai\b|\bshan ?chu\b|udalit\p{L}* (?:moi|moy|menya|moj)|usuni\p{L}* (?:mojego|mnie|moje|mój|moj)|^\s*arr[êe]te[sz]?\s*[.!]*\s*$|\bbloquead[oa]s?\b|\b(?:voy|vamos) a (?:bloquear|reportar)|\b(?:los|las|te|lo|la) voy a (?:bloquear|reportar)|\bp[áa]r(?:en|e)le\b|停止|退订|取消订阅|不要再|别再|删除我|删掉|拉黑|(?:号码|信息|资料|邮箱|电话)\S{0,3}删除|配信停止|連絡しないで|送らないで|削除して|연락하지 ?마|보내지 ?마|그만 ?보내|연락 ?그만|삭제해|수신 ?거부|не пиши|не звони|не беспокой|больше не (?:пиш|присыл|звон|отправл)|перестаньте|прекратите|удалите (?:мой|меня|мои)|отпиши|لا ترسل|لا تتصل|توقف عن|إلغاء الاشتراك|الغاء الاشتراك|احذف رقمي|احذفوا رقمي|मत भेज|बंद करो|(?:message|messages|msg|msgs|call|calls|sms|email|emails|mail|text|texts|phone|contact|pareshan)\s+(?:\p{L}+\s+)?mat\s+(?:karo|karna|karein|karen|kijiye|kariye|bhejo|bhejna|bhejiye|bhejein|bhejo)|(?:list|number|naam|nambar)\s+(?:\p{L}+\s+)?(?:se\s+)?hata\s*(?:do|dijiye|dein|dena|de)|\bbas karo\b|\bband karo\b|đừng (?:nhắn|gọi|liên|gửi|làm phiền)|ngừng (?:gửi|nhắn|gọi|liên)|hủy đăng ký|huỷ đăng ký|xóa số|xoá số|(?:huwag|wag) (?:na )?(?:mo |nyo |niyo |po )?(?:na )?(?:akong |ako )?(?:i-?text|itext|tawagan|i-?message|imessage|kontakin|i-?email|guluhin|istorbohin)|tigilan (?:nyo|niyo|mo)|n[ãa]o (?:me |nos )?(?:mande|mandem|envie|enviem|ligue|liguem|contate|contatem|perturbe|perturbem|incomode|incomodem)|parem? de (?:me )?(?:enviar|mandar|ligar|contatar|incomodar)|descadastr\p{L}*|remova (?:meu|o meu|minha)|me tire da lista|ne me (?:contactez|écrivez|ecrivez|appelez|envoyez) plus|arr[êe]tez de (?:m'|me )|retirez[- ]moi|supprimez (?:mes|mon|ma)|nicht mehr (?:kontaktieren|anrufen|schreiben|anschreiben)|keine (?:sms|nachrichten|e-?mails|anrufe|werbung) mehr|abmelden|h[öo]ren sie auf|lassen sie mich in ruhe|l[öo]schen sie (?:meine|mich)|kontaktieren sie mich nicht|disiscriv\p{L}*|cancellate il mio|non (?:mi )?scriv\p{L}*|d[ée]sabonnez|d[ée]sinscri\p{L}*|przesta\p{L}* (?:do mnie )?pisa\p{L}*|nie kontaktowa\p{L}*|nie pisz\p{L}*|ne pishite|hvatit mne|perestan\p{L}* mne/iu;

const BOUNCE =
  /\b(?:delivery status notification|undeliverable|mail delivery (?:failed|failure|subsystem)|delivery has failed|message (?:could not|couldn't|was not) (?:be )?delivered|address not found|mailbox (?:unavailable|not found|is full|full)|returned mail)\b/i;

/** A stop no phrase pattern saw but the trained reader is sure of (stopReader.ts). */
function trainedStop(odds: StopOdds, channel: Channel, trainedOn: number): IntentReading {
  const cues = odds.cues.length === 0 ? "" : ` (cues: ${odds.cues.map((cue) => `"${cue}"`).join(", ")})`;
  const reason = `a reader trained on ${trainedOn} labelled replies is ${Math.floor(odds.stop * 100)}% sure this asks us to stop${cues}.`;
  return odds.everyChannel
    ? { intent: "do_not_contact", reason }
    : { intent: "opt_out_channel", reason, optOutChannel: channel };
}

// ---------------------------------------------------------------------------------------------
// Email: only what the lead wrote
// ---------------------------------------------------------------------------------------------

const REPLY_HEADER = /^\s*(?:on|el|le|am)\s.*\s(?:wrote|escribi[oó]|a\s+[ée]crit|schrieb)\s*:\s*$/i;
const REPLY_HEADER_START = /^\s*(?:on|el|le|am)\s/i;
const REPLY_HEADER_END = /(?:^|\s)(?:wrote|escribi[oó]|a\s+[ée]crit|schrieb)\s*:\s*$/i;
const ORIGINAL_MESSAGE = /^\s*-{2,}\s*(?:original message|forwarded message|mensaje original)\s*-{2,}\s*$/i;
const OUTLOOK_RULE = /^\s*_{10,}\s*$/;
const FROM_LINE = /^\s*\*?(?:from|de)\s*:\*?\s/i;
const HEADER_FIELD = /^\s*\*?(?:sent|date|to|subject|cc|enviado|fecha|para|asunto)\s*:/i;
const SIGNATURE = /^(?:--|—|__)\s*$/;
const MOBILE_SIGNATURE =
  /^\s*(?:sent from my\s|sent from (?:outlook|yahoo mail|mail for|samsung)|get outlook for\s|enviado desde mi\s)/i;

/**
 * The part of an email the lead wrote: quoted lines, the quoted original after "On … wrote:",
 * "-----Original Message-----" or an Outlook "From: … Sent: …" block, and the signature are
 * dropped, because our own words quoted back ("reply STOP to opt out") must not be read as theirs.
 */
export function leadWrittenPart(text: string): string {
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  for (const [index, line] of lines.entries()) {
    const next = lines[index + 1] ?? "";
    if (REPLY_HEADER.test(line)) break;
    // Gmail wraps a long header: "On Mon, 4 Mar 2024 at 10:12, Leadwire <x@y.z>" / "wrote:".
    if (REPLY_HEADER_START.test(line) && /\d|</.test(line) && REPLY_HEADER_END.test(next)) break;
    if (ORIGINAL_MESSAGE.test(line) || OUTLOOK_RULE.test(line)) break;
    if (FROM_LINE.test(line) && lines.slice(index + 1, index + 5).some((field) => HEADER_FIELD.test(field)))
      break;
    if (SIGNATURE.test(line) || MOBILE_SIGNATURE.test(line)) break;
    if (/^\s*>/.test(line)) continue;
    kept.push(line);
  }
  return kept.join("\n").trim();
}

/**
 * Our own opt-out line quoted back ("Text STOP to opt out? lol no, what's the price?") is not the
 * lead's request; it is dropped when the lead wrote something else too, and kept when it is all
 * they sent, because then they may be trying to opt out.
 */
const QUOTED_FOOTER =
  /(?<=^| )(?:reply|text|txt|send|respond|respond with|reply with) stop (?:to|and|for) (?:opt out|unsubscribe|end|cancel|quit|stop)(?: (?:of|from) (?:these|future|all|our|further) (?:messages|texts|alerts))?(?: [?.!])?/g;

function withoutQuotedFooter(words: Words): Words {
  const text = words.text.replace(QUOTED_FOOTER, " ").replace(/ {2,}/g, " ").trim();
  if (text === words.text || text.split(" ").filter((token) => !PUNCTUATION.has(token)).length < 3)
    return words;
  return { text, tokens: text.split(" ") };
}

// ---------------------------------------------------------------------------------------------
// Normaliser
// ---------------------------------------------------------------------------------------------

interface Words {
  /** Tokens joined by single spaces; punctuation tokens (. , ! ? ; :) are tokens of their own. */
  text: string;
  tokens: string[];
}

/** Misspellings and texting shorthand, token by token, to the word the patterns use. */
const SPELLING: Record<string, string> = {
  // "quit callin me", "stop textin": the dropped g.
  callin: "calling",
  messagin: "messaging",
  blowin: "blowing",
  buggin: "bugging",
  hittin: "hitting",
  stpo: "stop",
  sotp: "stop",
  stp: "stop",
  stopp: "stop",
  sstop: "stop",
  stahp: "stop",
  st0p: "stop",
  stopit: "stop it",
  stopall: "stop all",
  optout: "opt out",
  optedout: "opt out",
  unsuscribe: "unsubscribe",
  usubscribe: "unsubscribe",
  unscribe: "unsubscribe",
  unsusbscribe: "unsubscribe",
  remov: "remove",
  rmv: "remove",
  remve: "remove",
  remvoe: "remove",
  cancle: "cancel",
  cancell: "cancel",
  cancl: "cancel",
  pls: "please",
  plz: "please",
  plez: "please",
  plse: "please",
  pleas: "please",
  pleae: "please",
  pleasee: "please",
  plese: "please",
  pleez: "please",
  u: "you",
  yu: "you",
  ur: "your",
  r: "are",
  txt: "text",
  tx: "text",
  tex: "text",
  txts: "texts",
  texs: "texts",
  txting: "texting",
  textin: "texting",
  txtin: "texting",
  texing: "texting",
  textng: "texting",
  txted: "texted",
  msg: "message",
  mssg: "message",
  msgs: "messages",
  mssgs: "messages",
  mesages: "messages",
  messeges: "messages",
  messges: "messages",
  msging: "messaging",
  messeging: "messaging",
  mesaging: "messaging",
  emial: "email",
  emal: "email",
  emai: "email",
  eamil: "email",
  emials: "emails",
  emailin: "emailing",
  contatc: "contact",
  contcat: "contact",
  contac: "contact",
  cntct: "contact",
  contacing: "contacting",
  contactin: "contacting",
  numbr: "number",
  nmbr: "number",
  numer: "number",
  nuber: "number",
  intrested: "interested",
  intersted: "interested",
  interseted: "interested",
  interestd: "interested",
  intereted: "interested",
  insterested: "interested",
  intrsted: "interested",
  interesed: "interested",
  intested: "interested",
  wrng: "wrong",
  worng: "wrong",
  thx: "thanks",
  thnx: "thanks",
  thanx: "thanks",
  thks: "thanks",
  tnx: "thanks",
  thankss: "thanks",
  tks: "thanks",
  ty: "thank you",
  tysm: "thank you",
  k: "ok",
  kk: "ok",
  okk: "ok",
  okay: "ok",
  okey: "ok",
  oki: "ok",
  okie: "ok",
  yess: "yes",
  yas: "yes",
  yass: "yes",
  yesh: "yes",
  noo: "no",
  nop: "nope",
  alon: "alone",
  agian: "again",
  agin: "again",
  anymor: "anymore",
  nomore: "no more",
  tmrw: "tomorrow",
  tmr: "tomorrow",
  tmrow: "tomorrow",
  tomorow: "tomorrow",
  tommorow: "tomorrow",
  tommorrow: "tomorrow",
  "2morrow": "tomorrow",
  "2moro": "tomorrow",
  tmw: "tomorrow",
  tonite: "tonight",
  "2nite": "tonight",
  "2day": "today",
  b4: "before",
  l8r: "later",
  ppl: "people",
  donot: "do not",
  iam: "im",
  idk: "i dont know",
  nvm: "never mind",
  gimme: "give me",
  lemme: "let me",
  // Collapsing a run of three letters to one ("stooop" → "stop") cuts these short.
  cal: "call",
  stil: "still",
  wil: "will",
  wel: "well",
};

const STOP_EMOJI = /[\u{1F6D1}\u{26D4}\u{1F6AB}\u{270B}\u{1F91A}\u{1F590}]/gu;

/**
 * Lower case, no accents, no apostrophes ("don’t" → "dont"), emoji read as words where they mean
 * one (🛑 ✋ → stop), letter runs collapsed ("stooop" → "stop"), punctuation runs reduced to one
 * token ("!!!" → "!", "?!" → "?"), and common misspellings spelled out.
 */
export function normalise(raw: string): Words {
  let s = raw.normalize("NFKC");
  s = s.replace(/[\u2018\u2019\u201B\u0060\u00B4\u02BC\u2032]/g, "'").replace(/[\u201C\u201D\u201E]/g, '"');
  s = s
    .replace(STOP_EMOJI, " stop ")
    .replace(/\u{1F595}/gu, " fuck off ")
    .replace(/[\u{1F44E}\u{1F645}\u{274C}]/gu, " no ")
    .replace(/\u{1F44D}/gu, " ok ");
  s = s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  s = s
    .replace(/\p{Extended_Pictographic}/gu, " ")
    .replace(/[\u{1F3FB}-\u{1F3FF}\u200B-\u200D\u2060\uFEFF]/gu, "");
  s = s.replace(/(\p{L})'(\p{L})/gu, "$1$2");
  s = s.replace(/([a-z])\1{2,}/g, "$1");
  s = s
    .replace(/#(?!\d)/g, " number ")
    .replace(/&/g, " and ")
    .replace(/\n/g, " . ");
  const tokens: string[] = [];
  for (const match of s.matchAll(/[a-z0-9]+(?:[:/][0-9]+[a-z]*)*|[?!.,;:]+/g)) {
    const token = match[0];
    if (/^[?!.,;:]/.test(token)) {
      const mark = token.includes("?") ? "?" : token.includes("!") ? "!" : token.charAt(0);
      // Runs of marks and marks at the very start carry no clause boundary worth keeping twice.
      const previous = tokens[tokens.length - 1];
      if (previous === undefined) {
        if (mark === "?") tokens.push(mark);
      } else if (!PUNCTUATION.has(previous)) tokens.push(mark);
      else if (mark === "?") tokens[tokens.length - 1] = "?";
      continue;
    }
    const spelled = token.startsWith("unsub") ? "unsubscribe" : (SPELLING[token] ?? token);
    tokens.push(...spelled.split(" "));
  }
  let text = tokens.join(" ");
  text = text
    .replace(/(?<=^| )s (?:\. )?t (?:\. )?o (?:\. )?p(?= |$)/g, "stop")
    .replace(/(?<=^| )e mail/g, "email")
    // Only the plural noun: "follow up with me in the spring" is the verb.
    .replace(/(?<=^| )follow ups(?= |$)/g, "followups")
    .replace(/(?<=^| )un sub\w*/g, "unsubscribe")
    .replace(/(?<=^| )opt(?:ed|ing)? (?:me |us )?out(?= |$)/g, "opt out")
    .replace(/(?<=^| )i m(?= )/g, "im");
  return { text, tokens: text === "" ? [] : text.split(" ") };
}

const PUNCTUATION = new Set([".", ",", "!", "?", ";", ":"]);

/** Builds a pattern over normalised text: alternatives of space-separated tokens, on token boundaries. */
function phrases(...alternatives: string[]): RegExp {
  return new RegExp(`(?<=^| )(?:${alternatives.join("|")})(?= |$)`, "g");
}

/** As `phrases`, but the phrase must end its clause ("no more." but not "no more than three"). */
function clauseEnding(...alternatives: string[]): RegExp {
  return new RegExp(`(?<=^| )(?:${alternatives.join("|")})(?= [.!?,;:]|$)`, "g");
}

/** The phrase is its whole clause: "Done with this." but not "the install done with you". */
function clauseOpeningAndEnding(...alternatives: string[]): RegExp {
  return new RegExp(`(?<=^|[.!?,;:] )(?:${alternatives.join("|")})(?= [.!?,;:]|$)`, "g");
}

/** As `phrases`, but the phrase must open its clause ("who is this", not "that's who is there"). */
function clauseOpening(...alternatives: string[]): RegExp {
  return new RegExp(`(?<=^|[.!?,;:] )(?:${alternatives.join("|")})(?= |$)`, "g");
}

function tokenIndexAt(text: string, charIndex: number): number {
  return charIndex === 0 ? 0 : text.slice(0, charIndex).split(" ").length - 1;
}

/** Up to `count` tokens before `index` in the same clause, nearest first. */
function tokensBefore(tokens: readonly string[], index: number, count: number): string[] {
  const found: string[] = [];
  for (let i = index - 1; i >= 0 && found.length < count; i--) {
    const token = tokens[i] ?? "";
    if (PUNCTUATION.has(token)) break;
    found.push(token);
  }
  return found;
}

/** Up to `count` tokens after `index` in the same clause. */
function tokensAfter(tokens: readonly string[], index: number, count: number): string[] {
  const found: string[] = [];
  for (let i = index + 1; i < tokens.length && found.length < count; i++) {
    const token = tokens[i] ?? "";
    if (PUNCTUATION.has(token)) break;
    found.push(token);
  }
  return found;
}

/** "not not interested" is interested; "not uninterested" too. */
function withoutDoubleNegation(text: string): string {
  return text
    .replace(/(?<=^| )not not(?= )/g, "")
    .replace(/(?<=^| )not (?:un|dis)interested/g, "interested")
    .replace(
      /(?<=^| )(?:never|didnt|did not) (?:say|said) (?:that )?(?:i|we) (?:wasnt|was not|werent|were not|am not|arent|wasnt|not)(?= interested)/g,
      "",
    )
    .replace(/ {2,}/g, " ")
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Stop requests
// ---------------------------------------------------------------------------------------------

type Means = "sms" | "email" | "call";

interface StopSignal {
  phrase: string;
  /** The channels this request names; empty means it names none ("stop", "unsubscribe"). */
  means: Set<Means>;
  /** A request to stop every channel whatever else is said ("never contact me again"). */
  all: boolean;
  /**
   * "I never signed up", "how did you get my number": a complaint that the wrong person may make;
   * when the lead also says they are not who we want, the message reads as a wrong number.
   */
  consent?: boolean;
}

interface Allowance {
  phrase: string;
  means: Means;
  /** "email me instead", "text only": allowing one channel implies stopping the other one. */
  implies: boolean;
  /**
   * "use my personal one", "whatsapp me": another address or app, so stopping even the channel it
   * belongs to leaves the lead reachable; the stop is limited to this address.
   */
  elsewhere: boolean;
}

/** A stop-like word used in another sense: "stop by" is a visit. */
interface OtherSense {
  stop: false;
  sense: string;
  phrase: string;
}

/** What a stop-like word means where it stands. */
type WordSense = { stop: true; signal: StopSignal } | OtherSense;

/** Words that name a channel, to scope a request ("stop texting" is SMS, "no more emails" is email). */
function meansOf(word: string, channel: Channel): Means | "phone" | undefined {
  if (/^(?:texts?|texting|texted|sms|mms|textos?|whatsapp|dms?)$/.test(word)) return "sms";
  if (/^(?:messages?|messaging|messaged|mensajes?)$/.test(word)) return channel;
  if (/^(?:e?mails?|emailing|emailed|mailing|mailings|inbox|newsletters?|correos?)$/.test(word))
    return "email";
  if (
    /^(?:calls?|calling|called|phoning|phoned|ring|ringing|voicemails?|robocalls?|llamadas?|llamar|llamen|llames|llame)$/.test(
      word,
    )
  )
    return "call";
  if (/^(?:phone|cell|cellphone|mobile|number|numero)$/.test(word)) return "phone";
  return undefined;
}

const CONJUNCTIONS = new Set(["and", "or", "n", "nor"]);
const JOIN_FILLERS = new Set("me us any either also my the your to of more".split(" "));

/**
 * The channels named by the first channel word in `words`, with any joined to it by "and"/"or"
 * ("stop calling and texting me"): only the request's own object counts, so in "stop texting me
 * email is fine" the email belongs to the allowance, not the stop.
 */
function scopeOf(words: readonly string[], channel: Channel): Set<Means> {
  const found: (Means | "phone")[] = [];
  let lastChannelAt = -1;
  for (const [index, word] of words.entries()) {
    const means = meansOf(word, channel);
    if (means === undefined) continue;
    // "phone calls", "cell calls": the calls are the channel, not the phone's texts.
    if (means === "phone" && meansOf(words[index + 1] ?? "", channel) === "call") continue;
    // Only a bare conjunction joins: "calling and texting me", not "texting and just call".
    const between = words.slice(lastChannelAt + 1, index);
    const joined =
      lastChannelAt >= 0 &&
      index - lastChannelAt <= 3 &&
      between.some((word) => CONJUNCTIONS.has(word)) &&
      between.every((word) => CONJUNCTIONS.has(word) || JOIN_FILLERS.has(word));
    if (found.length > 0 && !joined) break;
    found.push(means);
    lastChannelAt = index;
  }
  const named = found.filter((means): means is Means => means !== "phone");
  if (named.length > 0) return new Set(named);
  // "lose my number": the phone is the SMS channel for us.
  return found.length > 0 ? new Set<Means>(["sms"]) : new Set<Means>();
}

const CONTACT_NOUN =
  /^(?:bots?|outreach|texts?|txts|messages?|msgs|emails?|mails?|mailings?|calls?|spam|contact|notifications?|alerts?|reminders?|marketing|solicitations?|robocalls?|promotions?|promos?|ads|advertising|newsletters?|subscriptions?|updates|followups|harassment|nonsense|madness|bs|crap|shit|junk|sms|dms|voicemails?|mensajes|correos|llamadas|textos)$/;

/** An "-ing" verb that is about contacting someone: "stop texting", "stop bugging", "stop receiving". */
const CONTACT_ING =
  /^(?:text|txt|mes+ag|mesag|mes+eg|msg|e?mail|emial|call|ring|phon|contac|conta|send|spam|bug|both|hara|harr|pest|houn|hass|reach|writ|ping|dm|hit|blow|solicit|follow|market|annoy|stalk|badg|nag|bombard|flood|ask|try|wast|push|sell|pitch|receiv|get|hear)\w*ing$/;

/** Words that may stand next to a bare stop without changing it: "STOP!!!", "stop please", "ok stop now". */
const FILLERS = new Set(
  "please now right it already asap immediately thanks thank you ok just me i said say all this that thats is sir maam man dude bro seriously again por favor ya gracias no yes oh omg god damn lol hey hi hello ugh geez jeez stop dear now".split(
    " ",
  ),
);

/** Negations that turn "stop" into its opposite: "don't stop", "please do not stop". */
const NEGATORS = new Set(
  "dont not never didnt doesnt wont wouldnt cant cannot couldnt shouldnt isnt arent wasnt havent hasnt hadnt".split(
    " ",
  ),
);
/** Words that may stand between a negation and "stop" and keep it negated: "don't want you to stop". */
const NEGATION_BRIDGE = new Set(
  "ill id want wanna wanted you guys yall to need needs ever really it them me us just please ask asking asked mean meant tell telling told say said saying trying try going planning looking think gonna going have has had be will would can could should i we even actually".split(
    " ",
  ),
);
/** Words skipped when looking back for the subject of "stop": "the leak will never stop". */
const AUXILIARIES = new Set(
  "to will would does did can could should must need needs has have had just finally ever gonna going got is are was were be been already really seriously even want wanna wants wanted like wish tried try decided".split(
    " ",
  ),
);
const PEOPLE = new Set(
  "you yall guys they them people company companies someone somebody yourselves agent agents realtor realtors team office rep reps bot system assistant person".split(
    " ",
  ),
);
const PRONOUNS = new Set("it this that these those".split(" "));
const DETERMINERS = new Set("the my our his her their that those this these your a an".split(" "));
/** "stop by", "stop in", "stop over": a visit. */
const VISIT_AFTER = new Set("by in over off past through thru round around at".split(" "));
/** "bus stop", "next stop", "a quick stop": the noun. */
const NOUN_BEFORE = new Set(
  "bus train subway metro tram pit truck rest last next first final one full quick short brief a an the each every non another sudden complete dead abrupt emergency door what which nearest closest nearby my".split(
    " ",
  ),
);
const NOUN_AFTER = new Set("sign signs light lights watch gap loss motion valve cock bath codon".split(" "));
/** What may follow "stop" in a request: "stop the texts", "stop this", "stop all". */
const OBJECT_DETERMINERS = new Set(
  "the a an my our this that these those your all any his her their".split(" "),
);
const CONTACT_INFO =
  /^(?:number|name|info|information|email|phone|contact|details|data|address|cell|cellphone|mobile|records?|profile|account)$/;

function signal(phrase: string, means: Set<Means>, all = false): WordSense {
  return { stop: true, signal: { phrase, means, all } };
}

function otherSense(sense: string, phrase: string): WordSense {
  return { stop: false, sense, phrase };
}

function spanPhrase(tokens: readonly string[], from: number, to: number): string {
  return tokens
    .slice(Math.max(0, from), Math.min(tokens.length, to + 1))
    .filter((token) => !PUNCTUATION.has(token))
    .join(" ");
}

function isBare(tokens: readonly string[], index: number): boolean {
  const clause = [...tokensBefore(tokens, index, 20), ...tokensAfter(tokens, index, 20)];
  return clause.every((token) => FILLERS.has(token));
}

/** Looks back from "stop" across "want you to" and the like for a negation; its position or -1. */
function negationBefore(tokens: readonly string[], index: number): number {
  // "dont need it stop texting": an object just before "stop" closed the negated clause.
  if (/^(?:it|them|this|that)$/.test(tokens[index - 1] ?? "") && tokens[index - 2] !== "let") return -1;
  for (let i = index - 1, steps = 0; i >= 0 && steps < 6; i--, steps++) {
    const token = tokens[i] ?? "";
    if (NEGATORS.has(token)) return i;
    if (token === "need" && tokens[i - 1] === "no") return i - 1;
    if (!NEGATION_BRIDGE.has(token)) return -1;
  }
  return -1;
}

/** Words that soften a request without being its subject: "i dont want these anymore please stop". */
const SOFTENERS = new Set("please anymore now just ok so and lol seriously".split(" "));

type Subject = "people" | "contact" | "pronoun" | "self" | "thing" | "none";

/** Who or what is said to stop: "you won't stop" (people), "the leak won't stop" (a thing). */
function subjectBefore(tokens: readonly string[], index: number): Subject {
  const before = tokensBefore(tokens, index, 6).filter(
    (token) => !AUXILIARIES.has(token) && !NEGATORS.has(token) && !SOFTENERS.has(token),
  );
  const word = before[0];
  if (word === undefined) return "none";
  if (PEOPLE.has(word)) return "people";
  if (CONTACT_NOUN.test(word)) return "contact";
  if (PRONOUNS.has(word)) return "pronoun";
  if (/^(?:i|we|ill|id|ive|im|weve|wed)$/.test(word)) return "self";
  if (DETERMINERS.has(before[1] ?? "") || DETERMINERS.has(before[2] ?? "")) return "thing";
  return "none";
}

/** The word "stop" (base form): a request, or one of its other senses. */
function readStopWord(tokens: readonly string[], index: number, channel: Channel): WordSense {
  const next = tokensAfter(tokens, index, 5);
  const prev = tokensBefore(tokens, index, 6);
  const here = (to: number) => spanPhrase(tokens, index, index + to);
  const [first, second] = next;

  if (first === "on" && second === "by") return otherSense("a visit", here(2));
  if (first !== undefined && VISIT_AFTER.has(first)) return otherSense("a visit", here(1));
  if (first === "for" && /^(?:lunch|gas|coffee|food|dinner|breakfast|groceries|a)$/.test(second ?? ""))
    return otherSense("a break on the way", here(2));
  if ((first === "and" || first === "n") && second === "shop") return otherSense("a shop's name", here(2));
  if (first !== undefined && NOUN_AFTER.has(first)) return otherSense("a noun", here(1));
  if (prev[0] !== undefined && NOUN_BEFORE.has(prev[0])) {
    // "put a stop to these texts" is a request; "put a stop to the leak" is not.
    if ((prev[0] === "a" || prev[0] === "an") && prev[1] === "put" && first === "to") {
      const object = next.slice(1, 4);
      if (object.length === 0 || object.some((word) => CONTACT_NOUN.test(word) || PRONOUNS.has(word)))
        return signal(spanPhrase(tokens, index - 2, index + 3), scopeOf(object, channel));
    }
    return otherSense("a noun", spanPhrase(tokens, index - 1, index));
  }

  const negatedAt = negationBefore(tokens, index);
  if (negatedAt >= 0) {
    // "you won't stop texting me" and "why don't you stop" complain; "the leak won't stop" does not.
    const beforeNegation = tokensBefore(tokens, negatedAt, 3).filter(
      (word) => word !== "guys" && word !== "all",
    );
    // "can't you just stop?" complains too; "don't you stop" is left alone, it can cheer on.
    const askedBack =
      /^(?:cant|wont|cannot|couldnt)$/.test(tokens[negatedAt] ?? "") && tokens[negatedAt + 1] === "you";
    // "you don't have to stop following up" releases us from stopping; it is no complaint.
    const released = tokens
      .slice(negatedAt + 1, index)
      .some((word) => /^(?:have|has|need|needs)$/.test(word));
    const complaint =
      !released &&
      ((beforeNegation[0] !== undefined &&
        (PEOPLE.has(beforeNegation[0]) || CONTACT_NOUN.test(beforeNegation[0]))) ||
        tokensBefore(tokens, negatedAt, 6).includes("why") ||
        askedBack);
    if (complaint) return signal(spanPhrase(tokens, negatedAt - 1, index + 2), scopeOf(next, channel));
    return otherSense("a negation", spanPhrase(tokens, negatedAt, index + (first?.endsWith("ing") ? 1 : 0)));
  }

  // "ok I'll stop bugging you": the lead stopping something of their own, aimed at us.
  if (subjectBefore(tokens, index) === "self" && next.slice(0, 3).some((word) => /^(?:you|yall)$/.test(word)))
    return otherSense("the lead's own doing", spanPhrase(tokens, index - 1, index + 2));
  // "can you stop it from leaking": keeping a thing from happening.
  if (
    first === "it" &&
    second === "from" &&
    (next[2] ?? "").endsWith("ing") &&
    !CONTACT_ING.test(next[2] ?? "")
  )
    return otherSense("keeping something from happening", here(3));
  // "stop texting", "stop the texts", "stop sending me emails", "stop bugging me", "stop with the texts".
  const object = next.slice(1, 4);
  if (
    first === "with" &&
    object.some((word) => CONTACT_NOUN.test(word) || meansOf(word, channel) !== undefined)
  )
    return signal(here(3), scopeOf(next, channel));
  const aimsAtContact =
    first !== undefined &&
    ((first.endsWith("ing") && (CONTACT_ING.test(first) || /^(?:me|us|my)$/.test(second ?? ""))) ||
      CONTACT_NOUN.test(first) ||
      meansOf(first, channel) !== undefined ||
      (OBJECT_DETERMINERS.has(first) &&
        object.some((word) => CONTACT_NOUN.test(word) || meansOf(word, channel) !== undefined)));
  if (aimsAtContact) return signal(here(3), scopeOf(next, channel));

  const subject = subjectBefore(tokens, index);
  if (subject === "contact") return signal(spanPhrase(tokens, index - 3, index + 1), scopeOf(next, channel));
  if (subject === "thing")
    return otherSense("something other than contact", spanPhrase(tokens, index - 2, index + 1));
  if (first === undefined) return signal(here(0), new Set());
  if (first === "all" || first === "everything" || first === "anything")
    return signal(here(1), new Set(), true);
  if (first.endsWith("ing")) return otherSense("another activity", here(1));
  if (OBJECT_DETERMINERS.has(first)) {
    if (object.length === 0) return signal(here(1), new Set());
    if (PRONOUNS.has(first) && /^(?:now|please|already|right|immediately|asap)$/.test(object[0] ?? ""))
      return signal(here(2), new Set());
    return otherSense("stopping something else", here(2));
  }
  // "we had to stop construction": the lead stopping something of their own; "can you stop
  // payment on the deposit?": a service asked for.
  const serviceAsked = prev.some((word) => /^(?:can|could|would|how)$/.test(word));
  if ((subject === "self" || serviceAsked) && !FILLERS.has(first))
    return otherSense("stopping something else", spanPhrase(tokens, index - 2, index + 1));
  return signal(here(Math.min(2, next.length)), scopeOf(next, channel));
}

/** "stopped", "stopping", "stops": a request only when the clause is about contact. */
function readInflectedStop(tokens: readonly string[], index: number, channel: Channel): WordSense {
  const next = tokensAfter(tokens, index, 4);
  const prev = tokensBefore(tokens, index, 6);
  const word = tokens[index] ?? "";
  if (next[0] !== undefined && VISIT_AFTER.has(next[0]))
    return otherSense("a visit", spanPhrase(tokens, index, index + 1));
  if (prev[0] !== undefined && NOUN_BEFORE.has(prev[0])) return otherSense("a noun", `${prev[0]} ${word}`);
  // "sorry I stopped texting back": the lead is the one who stopped.
  if (subjectBefore(tokens, index) === "self")
    return otherSense("the lead's own doing", spanPhrase(tokens, index - 1, index + 1));
  const clause = [...prev, ...next];
  const aboutContact = clause.some((w) => CONTACT_NOUN.test(w) || (w.endsWith("ing") && CONTACT_ING.test(w)));
  // "the texts aren't stopping" complains even though it is negated.
  const complaint = prev.some((w) => CONTACT_NOUN.test(w));
  if (aboutContact && (complaint || negationBefore(tokens, index) < 0))
    return signal(spanPhrase(tokens, index - 2, index + 2), scopeOf([...next, ...prev], channel));
  return otherSense("something that stopped", spanPhrase(tokens, index, index + 1));
}

/** "cancel", "remove", "end", "quit" and the like: a request when bare or aimed at contact. */
function readOtherStopWord(
  tokens: readonly string[],
  index: number,
  channel: Channel,
): WordSense | undefined {
  const word = tokens[index] ?? "";
  const next = tokensAfter(tokens, index, 5);
  const [first, second] = next;
  const here = (to: number) => spanPhrase(tokens, index, index + to);
  const negated = negationBefore(tokens, index) >= 0;
  const bare = isBare(tokens, index);
  const objectIsContact = next.slice(0, 4).some((w) => CONTACT_NOUN.test(w));
  switch (word) {
    case "quit":
    case "quite": {
      // "quite texting me" is a slip of "quit".
      if (negated) return otherSense("a negation", here(1));
      // "sorry, I quit checking texts on vacation": what the lead stopped doing.
      if (
        first?.endsWith("ing") &&
        subjectBefore(tokens, index) === "self" &&
        !/^(?:me|us)$/.test(second ?? "")
      )
        return otherSense("the lead's own habit", here(2));
      if (first?.endsWith("ing") && (CONTACT_ING.test(first) || /^(?:me|us)$/.test(second ?? "")))
        return signal(here(2), scopeOf(next, channel));
      if (word === "quite") return undefined;
      if (bare || first === "it") return signal(here(bare ? 0 : 1), new Set());
      // "quit the txts pls": contact named as the thing to quit.
      if (objectIsContact) return signal(here(3), scopeOf(next, channel));
      return otherSense("quitting something else", here(1));
    }
    case "cancel":
    case "cancelar": {
      if (negated) return otherSense("a negation", here(1));
      // "cancel that, Thursday works better" takes back what they said.
      if (first === "that" || first === "this") return otherSense("a correction", here(1));
      // "can I cancel the plan anytime?": asking about the service's terms.
      const prev = tokensBefore(tokens, index, 3);
      if (
        /^(?:i|we)$/.test(prev[0] ?? "") &&
        prev.slice(1).some((w) => /^(?:can|could|if|whether|how|may|do)$/.test(w))
      )
        return otherSense("a question about cancelling", here(3));
      if (bare) return signal(here(0), new Set());
      if (first === "me" || first === "us") return signal(here(1), scopeOf(next, channel));
      if (objectIsContact) return signal(here(3), scopeOf(next, channel));
      return otherSense("cancelling something else", here(3));
    }
    case "canceled":
    case "cancelled":
    case "canceling":
    case "cancelling":
      if (!negated && objectIsContact) return signal(here(3), scopeOf(next, channel));
      return otherSense("cancelling something else", here(2));
    case "remove": {
      if (negated) return otherSense("a negation", here(1));
      if (bare) return signal(here(0), new Set());
      // "remove me from the 8am and put me in at 10": a change of slot.
      if (RESCHEDULE.test(tokensAfter(tokens, index, 12).join(" ")))
        return otherSense("a change of slot", here(3));
      if (first === "me" || first === "us" || first === "number")
        return signal(here(4), scopeOf(next, channel));
      // "remove my name from the title" is paperwork, not contact.
      if (
        next
          .slice(2)
          .some((w) =>
            /^(?:title|deed|loan|lease|mortgage|application|contract|agreement|policy|offer)$/.test(w),
          )
      )
        return otherSense("removing something else", here(4));
      if (
        (first === "my" || first === "this" || first === "that" || first === "the") &&
        CONTACT_INFO.test(second ?? "")
      )
        return signal(
          here(2),
          scopeOf(next, channel),
          !/^(?:number|phone|cell|email|mobile)$/.test(second ?? ""),
        );
      if (
        (first === "from" || first === "off") &&
        next.slice(1).some((w) => /^(?:list|lists|database|system|contacts|records)$/.test(w))
      )
        return signal(here(4), scopeOf(next, channel));
      if (objectIsContact) return signal(here(3), scopeOf(next, channel));
      // "remove our company from your outreach", "remove both my husband and me from all of your lists".
      if (FROM_OUR_LISTS.test(tokensAfter(tokens, index, 10).join(" ")))
        return signal(here(4), scopeOf(next, channel), true);
      return otherSense("removing something else", here(3));
    }
    case "end":
      if (bare) return signal(here(0), new Set());
      if (
        !negated &&
        (OBJECT_DETERMINERS.has(first ?? "") || CONTACT_NOUN.test(first ?? "")) &&
        objectIsContact
      )
        return signal(here(3), scopeOf(next, channel));
      return otherSense("another sense of end", here(2));
    case "enough":
      if (bare) return signal(here(0), new Set());
      if (first === "already") return signal(here(1), new Set());
      if ((first === "with" || first === "of") && objectIsContact)
        return signal(here(3), scopeOf(next, channel));
      return undefined;
    case "halt":
    case "cease":
    case "desist":
    case "baja":
    case "alto":
    case "basta":
    case "parar":
      if (bare) return signal(here(0), new Set());
      if (word === "cease" && (first === "all" || objectIsContact))
        return signal(here(2), scopeOf(next, channel), true);
      return undefined;
    default:
      return undefined;
  }
}

interface StopRule {
  pattern: RegExp;
  /**
   * all: every channel whatever else is said; scan: the channel words in and after the phrase
   * decide, none means unspecified; allIfUnscoped: as scan, but naming none means every channel.
   */
  scope: "all" | "scan" | "allIfUnscoped";
  /** Skip when a negation comes just before ("I don't want to unsubscribe"). */
  negatable?: boolean;
  /** Skip when a time limit follows ("don't call me before 5" is a preference, not a stop). */
  limitable?: boolean;
  /** A complaint about consent, which a wrong-number reading explains (see StopSignal.consent). */
  consent?: boolean;
  /** Skip when the object is a product, not contact ("unsubscribe from the monthly plan"). */
  service?: boolean;
  /** Skip when someone else's contact is meant ("I don't like the calls from the HOA"). */
  aboutOthers?: boolean;
}

/** Contact a lead may say they dislike: "not a fan of the texts", "I hate phone calls". */
const DISLIKED =
  "(?:(?:phone |text |email |sales |marketing )?(?:texts?|messages|emails?|calls?|robocalls|voicemails?|notifications|reminders|newsletters?)|spam|texting|emailing|calling|being (?:texted|called|emailed|contacted))";
const DISLIKED_OBJECT = `(?:getting |receiving |being sent )?(?:the |your |these |those |all the |all these |all of these |so many |all your |all of your )?${DISLIKED}`;
/** "… from the HOA", "… on the website": the contact of someone else. */
const SOMEONE_ELSES =
  /^(?:from|on|in|of|at|about|with|by) (?:the|my|our|his|her|their|a|an|other|some)(?: |$)/;

/** What a lead subscribes to as a customer, not as a recipient of our messages. */
const SERVICE_OBJECT =
  /^(?:me |us )?(?:from|of|after) (?:the |my |this |your |our |a )?(?:\w+ ){0,2}(?:plan|plans|membership|subscription|program|trial|service|package|auto ?renew\w*|autorenew\w*|renewal|box|class|classes|course|insurance|policy|warranty|gym|contract|lease|tier)(?: |$)/;

const RESCHEDULE = /\b(?:put|move|switch|book|add|slide|bump|pencil|squeeze|fit) (?:me|us)\b/;

/** "my coworker unsubscribed by accident": someone else did it, and it was no request to us. */
const SOMEONE_ELSE_DID =
  /^(?:coworker|colleague|assistant|receptionist|intern|wife|husband|partner|kid|kids|son|daughter|mom|dad|mother|father|sister|brother|law|ex|friend|roommate|spouse|boss|team|she|he|they|staff|someone|somebody|anyone|nobody|people|customers|clients|tenants|guests|subscribers|users|members|patients|recipients|contacts|folks|toddler|filter)$/;

/** "unsubscribe my business partner", "unsubscribe people who never open": someone else's inbox. */
const SOMEONE_ELSES_INBOX =
  /^(?:a (?:team ?member|teammate|coworker|colleague|client|customer|user|guest|tenant|patient|member|student)|him|her|people|customers|clients|tenants|guests|subscribers|users|members|patients|recipients|contacts|folks|anyone|someone|them all|(?:my|our|the) (?:business partner|partner|wife|husband|dad|mom|mother|father|son|daughter|kids?|tenants?|guests?|old|work|other|assistant|staff|team))(?: |$)/;

/** The lead wants to keep hearing from us: an unsubscribe they tell of was no request. */
const WANTS_MORE =
  /\b(?:keep (?:me|us) on|(?:put|add|get|sign) (?:me|us|him|her|them) back|get back on|back on (?:the|your) list|still want (?:them|those|these|the|mine|to (?:get|receive|hear|keep))|keep (?:sending|getting|receiving|em coming|them coming|those coming|me posted|me in the loop|mine)|want to stay|stay (?:on|subscribed)|re-?subscrib\w*|opt (?:me |us )?back in|coming again|come back (?:as|to)|except yours|kept yours|but not yours|don'?t forget (?:about )?me|mine stays?|just keep sending)\b/i;

/** An unsubscribe told of (done, clicked, happened), not asked for. */
const TOLD_OF =
  /\b(?:unsubscribed|unsubscribing|unsubbed|opted out|been unsubscribed|(?:hit|clicked|pressed|tapped|click|tap) (?:on )?(?:the |an? )?unsubscribe)\b/i;

/** "my assistant unsubscribed me by mistake": done to the lead, in the past. */
const DONE_TO_THE_LEAD = /\b(?:unsubscribed|unsubbed) (?:me|us)\b|\bopted (?:me|us) out\b/i;

/** "oops I hit unsubscribe instead of reply": a slip, not a wish. */
const BY_ACCIDENT =
  /\b(?:accidentally|accidently|by accident|by mistake|mistakenly|oops|didn'?t mean to|misclick\w*|fat[- ]?finger\w*|must have been (?:my|the))\b/i;

/** The doer named just before, with no "I" or "me" after it: "my wife accidentally hit unsubscribe". */
function someoneElseDid(before: readonly string[]): boolean {
  const doer = before.findIndex((word) => SOMEONE_ELSE_DID.test(word));
  return doer >= 0 && !before.slice(0, doer).some((word) => /^(?:i|me|we|us|im|ill|id)$/.test(word));
}

const INSISTING = /^(?:now|please|pls|plz|already|asap|immediately|seriously|forreal|srsly)$/;

const FROM_OUR_LISTS =
  /\bfrom (?:your|ur|all|all of your|any of your|the) (?:\w+ ){0,2}(?:list|lists|outreach|marketing|database|contacts|mailing|mailings|emails|texts|campaigns?|sequence|system)\b/;

/** Laughter and delight: "lol stop you're funny", "omg stop that's so cheap", "stoppp 😍". */
const DELIGHT =
  /(?:\b(?:lol|lmao|lmfao|rofl|omg|haha\w*|hehe\w*|ha ha)\b|(?<!\b(?:not|no longer|never) )\b(?:i'?m |im |very |so )interested\b|\bthe one i want\b|\bmade my day\b|😂|🤣|😍|🥹|😆|🙌|🤩|🥰|❤️|\b(?:you'?re|ur|youre) (?:funny|hilarious|killing me|the best)\b|\b(?:too good|so (?:cheap|good|cute)|love it|i'?m sold|sign me up|that'?s (?:perfect|amazing|gorgeous|so cheap))\b|\b(?:no way|we'?re in|i'?m in|count (?:me|us) in|dream (?:house|home|car|kitchen)|(?<!\b(?:not|no longer|never) )(?:yes|very|so|super|definitely)[,.!]? interested|how do (?:we|i) (?:move forward|proceed|get started|start)|send (?:me |us )?the (?:contract|paperwork)|insane(?:ly)? (?:good|cheap|low)|(?:price|deal) is (?:insane|crazy|unreal))\b)/i;

/**
 * A bare "stop" amid laughter or delight, with nothing about contact anywhere in the message, is
 * banter ("lmao stop with the puns"), not a request; "stop texting me lol" names contact and stays one.
 */
function banter(
  sense: WordSense,
  tokens: readonly string[],
  index: number,
  delight: boolean,
  channel: Channel,
): WordSense {
  if (!sense.stop || sense.signal.means.size > 0) return sense;
  return isBanter(tokens, index, delight, channel) ? otherSense("banter", sense.signal.phrase) : sense;
}

/**
 * Laughter or delight around an exclamation ("stop", "shut up"), with nothing about contact, no
 * insisting, and something said besides the laugh: "omg stop" alone may be either, so it stops.
 */
function isBanter(tokens: readonly string[], index: number, delight: boolean, channel: Channel): boolean {
  if (!delight) return false;
  // "u can stop now lol", "stop please lol": the laugh softens a request, it does not undo it.
  const around = [...tokensBefore(tokens, index, 3), ...tokensAfter(tokens, index, 4)];
  if (around.some((word) => INSISTING.test(word))) return false;
  if (tokens.every((word) => FILLERS.has(word) || LAUGH.test(word) || PUNCTUATION.has(word) || word === "up"))
    return false;
  const aboutContact = tokens.some(
    (word) =>
      CONTACT_NOUN.test(word) ||
      CONTACT_ING.test(word) ||
      meansOf(word, channel) !== undefined ||
      word === "list" ||
      word === "number",
  );
  return !aboutContact;
}

const LAUGH = /^(?:lol|lmao|lmfao|rofl|omg|haha\w*|hehe\w*|ha|shut)$/;

/** "We unsubscribed from our old tool": what the lead did elsewhere, in the past tense. */
const LEFT_ANOTHER_SERVICE = /\b(?:unsub\w*|opt(?:ed|ing)? out) (?:from|of)\b/i;
/** Words that would make the object us or our messages: "unsubscribed from your list". */
const US =
  /^(?:you|your|yours|ur|u|this|these|those|it|list|lists|here|yall|y'all|them|everything|all|anything|any|future|further|marketing|mailing|promotional)$/;

/** "from our old tool", "from HubSpot": an object that is neither us nor a kind of contact. */
function isAnotherService(object: readonly string[], channel: Channel): boolean {
  if (object[0] !== "from" || object.some((word) => US.test(word))) return false;
  // "from a competitor's emails", "from three other gyms' newsletters": someone else's messages.
  if (object.some((word) => OTHER_PROVIDER.test(word))) return true;
  // "from the HOA emails", "from the zillow alerts": messages named after someone else.
  const [, the, owner = "", noun = ""] = object;
  if (
    the === "the" &&
    meansOf(owner, channel) === undefined &&
    !CONTACT_NOUN.test(owner) &&
    CONTACT_NOUN.test(noun)
  )
    return true;
  return !object.some((word) => CONTACT_NOUN.test(word) || meansOf(word, channel) !== undefined);
}

const OTHER_PROVIDER = /^(?:competitors?|other|another|old|previous|former|two|three|several)$/;

const CHANNEL_VERB =
  "(?:contact|message|email|text|call|ring|phone|write to|write|dm|reach out to|reach|sms|get in touch with|hit (?:me |us )?up)";
const PESTER_VERB = "(?:bother|bug|harass|pester|spam|hassle|annoy|stalk|hound)";
const CONTACT_PLURAL =
  "(?:texts?|messages?|emails?|calls?|contact|texting|emailing|calling|messaging|spam|mail|robocalls|voicemails?|vms|solicitations?|marketing|communications?|notifications)";

/** Phrases that ask to stop, whatever the word: grouped by why they are a stop. */
const STOP_RULES: StopRule[] = [
  // "don't text me", "never contact me again", "do not call": a negated contact verb.
  {
    pattern: phrases(
      `(?:please |kindly )?(?:dont|do not|never|never ever|dont you ever|dont you dare|dont ever|do not ever) (?:ever )?${CHANNEL_VERB}(?: (?:me|us|this number|my number|my phone|my cell|my email|here))?(?: (?:again|anymore|any more|ever again|ever|please))?`,
    ),
    scope: "allIfUnscoped",
    limitable: true,
  },
  {
    pattern: phrases(
      `(?:can|could|would|will) (?:you|yall)(?: guys| all| people)? (?:please |just |kindly )?not ${CHANNEL_VERB}(?: (?:me|us|this number))?`,
    ),
    scope: "allIfUnscoped",
    limitable: true,
  },
  {
    pattern: phrases(
      `(?<!(?:^| )(?:you|u|yall|they) )(?:dont|do not|never|stop|quit) ${PESTER_VERB}(?:ing)? (?:me|us)`,
      `(?:dont|do not|never) send (?:me |us )?(?:any|anything|more|any more|anymore|texts|emails|messages|stuff|these|those)`,
    ),
    scope: "allIfUnscoped",
  },
  // "no more texts", "no more!", "no calls please"; "too many emails!!" complains about a channel.
  {
    pattern: phrases(
      `no (?:more|further) (?:\\w+ )?${CONTACT_PLURAL}`,
      `(?:way |far |so |just )?too many ${CONTACT_PLURAL}`,
      "(?:dont|do not|never|stop|quit) (?:leave|leaving) (?:me |us )?(?:any |more |these |those )?(?:voicemails?|vms|voice messages|messages)",
      "no mas (?:mensajes|correos|llamadas|textos|emails)",
    ),
    scope: "scan",
  },
  {
    pattern: clauseEnding(
      "no more(?: please| thanks| thank you)?",
      "no mas(?: por favor)?",
      `no (?:texts?|messages|emails?|calls|phone calls|voicemails?|vms|robocalls|contact|texting|calling|emailing|solicitations|spam)(?: please| thanks| thank you)?`,
    ),
    scope: "allIfUnscoped",
  },
  // "lose my number", "delete my info": asking us to forget them.
  {
    pattern: phrases(
      "(?:lose|loose|delete|erase|forget|scrub|get rid of|throw away|throw out|trash|burn|purge|wipe|discard|toss|shred) (?:my|this|our|the|all my|all of my) (?:phone |cell |contact |personal )?(?:number|numbers|cell|phone|contact|info|information|details|data|records?|file|profile|account|name|email|email address|address|mobile)",
      "get off (?:of )?(?:this|your|the|that) (?:list|thread|mailing list|text list|email list)",
      "(?:be|get|been|have me|have us|have my (?:number|name|info|email)|my (?:number|name|info|email)) removed",
      "(?:remove|delete|drop|unlist|erase|take) (?:my (?:name|number|email|email address|address|info)|this (?:number|address|email|email address)|it|this|that) (?:from|off)(?: of)? (?:your|the|this|that|all|any|ur) (?:\\w+ )?(?:list|lists|database|system|contacts|records|texts|emails|messages)",
      // "I want it erased from your database": the wish, in the past participle.
      "(?:want|need|like|get|have) (?:it|this|that|me|us|my (?:name|number|email|info|details)|this (?:number|email)) (?:removed|deleted|erased|dropped|taken off|scrubbed|purged|wiped) (?:from|off)",
      "(?:dont|do not|never) (?:ever )?follow up with (?:me|us) (?:again|anymore|ever)",
      // "leave me off any future outreach".
      "(?:left|leave|keep|kept) (?:me |us )?(?:off|out of) (?:any|all|your|future|further)(?: future| further)? (?:outreach|contact|communications?|emails?|texts?|lists?|mailings?|campaigns?|messages)",
    ),
    scope: "allIfUnscoped",
  },
  // "remove me from your list"; "please don't remove me from the waitlist" keeps them on it.
  {
    pattern: phrases(
      "(?:remove|delete|drop|unlist|erase|take) (?:me|us) (?:from|off)",
      "(?:take|cross|scratch|strike|get|pull|drop) (?:me|us|my (?:name|number|email|email address|address|info|details|cell|phone|contact info)(?: and (?:my )?(?:name|number|email|email address|address|info|details|cell|phone|contact info))?|this (?:number|address|email|email address|account|phone)) (?:off|out)",
      // "I want off your list", "we need off this thread".
      "(?:want|wanna|need|needs|wants) (?:to (?:be|get) )?off (?:of )?(?:your|the|this|ur|that|these|those|all|any|every) (?:\\w+ )?(?:list|lists|thread|database|system|texts|emails|messages|contacts)",
    ),
    scope: "allIfUnscoped",
    negatable: true,
  },
  {
    pattern: phrases(
      "(?:put|add|place) (?:me|us|my number|this number) (?:on|to|in) (?:your |the |a )?(?:do not (?:call|contact|text|email)|dnc|no contact|opt out|no call|donotcall)",
      "do not (?:call|contact) (?:list|registry)",
      "dnc",
      "cease and desist",
      "do not contact",
      "(?:stop|end|cancel|cease) (?:all|any|every) (?:further )?(?:contact|communications?|correspondence)",
      "(?:all|any) (?:further )?(?:contact|communications?) (?:must|needs to|has to|should) (?:stop|end|cease)",
    ),
    scope: "all",
  },
  // The words every SMS system knows.
  // "the link takes me to an unsubscribe page" names the page, not a wish.
  {
    pattern: phrases(
      // "if I unsubscribe from the newsletter, do I still get alerts?" asks what would happen.
      // "the unsubscribes", "an unsubscribe spree": the noun; "was about to unsubscribe": a near miss.
      "(?<!(?:^| )if (?:i|we) )(?<!(?:^| )(?:the|an|a|my|your) )(?<!(?:^| )(?:was|were) (?:about|going|gonna) to )(?<!(?:^| )(?:almost|nearly)(?: (?:hit|clicked|pressed|tapped))? )(?<!(?:^| )(?:auto|automatically) )unsubscribe(?! (?:page|link|links|button|url|footer|option|form|section|spree|requests?|header|headers|rate|rates|process|feature|features|handling)(?: |$))(?! (?:a|my|our|the) (?:team ?member|teammate|intern|coworker|colleague|employee|staff|patient|patients|client|clients|customer|customers|user|users)(?: |$))",
      "opt out(?! (?:page|link|button|url|footer|option|form|section)(?: |$))",
    ),
    scope: "scan",
    negatable: true,
    service: true,
  },
  { pattern: phrases("revoke", "revoking", "revoked"), scope: "all", negatable: true },
  // "I'd like the follow-ups to stop", "I want them to end", "go bother someone else".
  {
    pattern: phrases(
      "(?:want|like|need|wish) (?:these|them|this|it|those|the (?:follow ?ups|followups|texts|emails|messages|calls|reminders)) to (?:stop|end|cease|end here|stop now)",
      "go (?:bother|bug|pester|harass|spam|annoy|text|call|email) (?:someone|somebody|some one) else",
      "(?:please|pls|plz) remove(?= (?:thank|thanks|ty|god|asap)| *$)",
      "bin my (?:details|number|info|data|email)",
    ),
    scope: "all",
    negatable: true,
  },
  // "leave me alone", and hostility: nobody says this to someone they want to hear from.
  {
    pattern: phrases(
      "leave (?:me|us) (?:the (?:hell|fuck|f) )?(?:alone|be)",
      "let (?:me|us) be",
      "(?:fuck|f|eff|screw|frick) (?:off|you|yourself|yourselves)",
      "fuck (?:this|that)",
      "stfu",
      "gtfo",
      "shut up",
      "go to hell",
      "kiss my (?:ass|butt)",
      "get a life",
      "(?:piss|buzz|bugger|sod|back) off",
    ),
    scope: "all",
  },
  { pattern: clauseEnding("go away(?: please| now| already)?", "get lost"), scope: "all" },
  // "is there a way to get off this", "whats the stop word? i want out": asking how is asking.
  {
    pattern: phrases(
      "(?<!(?:^| )(?:asked|asking|asks) (?:me|us) )(?:is there|theres|where is|wheres|whats|what is|how do i|how can i|how do we|how can we|how to) (?:a way to |an? |the )?(?:unsubscribe|get off|opt out(?! of)|stop word|remove (?:myself|me|us)|block (?:these|this|them|you|your))",
    ),
    scope: "all",
    service: true,
  },
  {
    pattern: clauseEnding(
      "(?:i|we) want out",
      "(?:id|i would|wed|we would) like (?:to (?:get|be) )?off(?: (?:this|the|your) (?:list|lists))?",
      "(?:please |pls )?remove (?:me|us)",
      "discontinue",
      "block(?: this| this number| number)?",
      "shtop",
      "stahp",
      "rack off",
      "pack it in(?: with the (?:texts|messages|emails|calls))?",
    ),
    scope: "all",
  },
  {
    pattern: phrases(
      "respect my privacy",
      "(?:go|goes|be directed|directed|go directly) through my (?:attorney|lawyer|solicitor)",
      "(?:contact|speak to|talk to|call) my (?:attorney|lawyer|solicitor)",
      "how (?:i|we) (?:ended|got|end) (?:up )?on (?:this|your|the) (?:list|lists|mailing list)",
      "remove (?:it|this address|this email|this number|this mailbox) from (?:your|the) (?:list|lists|mailing list|database)",
      "no need to (?:keep )?(?:texting|emailing|calling|messaging|reaching out|contacting|following up|checking in)",
      "(?:dont|do not) keep (?:texting|emailing|calling|messaging|contacting)",
    ),
    scope: "all",
  },
  // A no said before, said again: "I said no already.", "done with this."
  {
    pattern: clauseEnding(
      "(?:i|we) (?:already |just |have |clearly )?(?:said|told you|told yall|told u|answered) no(?: already| twice| before| once| thanks| thank you)?",
      "(?:im|i am|were|we are) (?:so |totally |just |all )?done with (?:this|you|yall|you people|your company|these texts|these messages|these emails|it all|all (?:this|of this|of you))",
    ),
    scope: "all",
  },
  // "Done with this." on its own: the whole clause.
  {
    pattern: clauseOpeningAndEnding(
      "(?:so |totally |just )?done with (?:this|you|yall|you people|your company|these texts|these messages|these emails|it all|all (?:this|of this|of you))",
    ),
    scope: "all",
  },
  // "I never gave you permission", "how did you get my number": contact they never agreed to.
  {
    pattern: phrases(
      "(?:never|didnt|did not|havent|have not|dont remember|do not remember) (?:ever )?(?:sign(?:ed|ing)? up|opt(?:ed|ing)? in|subscribe(?:d)?|register(?:ed)?|gave (?:you|anyone|out|permission|consent)|gave (?:it|this|that|this number|my number|them) to (?:you|yall|anyone|you guys)|give (?:you|anyone|out|permission|consent)|given (?:you|anyone|out|permission|consent)|consent(?:ed)?|authoriz(?:e|ed)|fill(?:ed)? out|submit(?:ted)?|inquire(?:d)?|enquire(?:d)?|request(?:ed)? (?:this|these|that|any|anything|info|information|to be|you|a quote|a call|a callback|a consultation)|ask(?:ed)? (?:for (?:this|these|that|any|anything|it|texts|messages|emails|calls|info|information)|to be|you to)|agree(?:d)? to (?:this|these|be|receive|any|anything|texts|messages|emails|calls))",
      "(?:dont|do not|didnt|did not|no|without) (?:have )?(?:my |any |your |the )?(?:permission|consent)",
      "how (?:(?:did|do|does|come|the hell did|tf did|on earth did) )?(?:you|yall|you guys|your company|this company|they|you people) (?:get|got|have|find|obtain|found)(?: (?:a )?hold of)? (?:my|this) (?:number|info|information|email|contact|details|name|cell|phone)",
      "who gave (?:you|yall) (?:my|this)(?: number| info| information| email| contact| details| name| cell)?",
      "where did (?:you|yall|you guys) (?:get|find) (?:my|this)(?: number| info| information| email| contact| details| name| cell)?",
      "unsolicited",
    ),
    scope: "all",
    consent: true,
  },
  // Complaints, reports and blocking.
  {
    pattern: phrases(
      "harass\\w*",
      "harrass\\w*",
      // "report it to the credit bureaus" and "report to the front desk" are other senses.
      "(?:report|reporting|reported) (?:you|this(?! (?:leak|issue|problem|damage))|your|the number|this number|as spam|it as spam|(?:you |this |it )?to the (?:ftc|fcc|authorities|police|bbb|better business bureau|attorney general|state))",
      "ftc",
      "fcc",
      "tcpa",
      "sue (?:you|your|yall)",
      "lawsuit",
      "legal action",
      "(?:block|blocking|blocked) (?:you|this|your|the number|this number|number|yall)",
      "(?:block|blocking) (?:the |all |your |these |those |any )?(?:texts|emails|calls|messages|sms)",
      // "i swear if i get one more": a last warning.
      "if (?:i|we) (?:get|receive|see|hear) (?:one|1|another|any)(?: more| single)?(?= |$)",
      "(?:not going to|wont|will not|am not gonna|not gonna) ask (?:you )?(?:nicely |politely )?(?:again|twice)",
      "(?:last|final) warning",
      "(?:block|blocking) and report",
      "(?:im|i am|ill|i will|gonna|going to|about to) block",
      "spammers?",
      "spamming",
      "(?:this is|thats|its|this is just|such) spam",
      "(?:marked|reported|reporting) (?:as|this as|it as) spam",
      "scammers?",
      "(?:this is|thats|its|youre) (?:a )?scam",
      "how many times (?:do|have|must|did|should) (?:i|we)",
      `(?:why|y) (?:do|does|are|did) (?:you|yall|you guys|people|they|your company) (?:keep |still |even )?(?:texting|calling|emailing|messaging|contacting|bothering|spamming|sending|bugging|hitting me up)`,
      `(?:you|yall|guys|they|people) (?:keep|still|constantly|always) (?:texting|calling|emailing|messaging|contacting|bothering|spamming|sending|bugging)`,
      `(?:why|y) (?:do|am|does) (?:i|my phone) (?:keep |still )?(?:getting|receiving|get|receive) (?:these|your|this|all these|so many|texts|messages|emails|calls)`,
    ),
    scope: "allIfUnscoped",
    negatable: true,
  },
  { pattern: clauseEnding("blocked"), scope: "all" },
  // "I'd rather not get texts", "prefer not to be texted", "I'd appreciate it if you didn't reach out".
  {
    pattern: phrases(
      `(?:rather|prefer|prefer to) not (?:to )?(?:(?:get|receive|have) (?:(?:any|more|your|these|those|the|so|many|further|all) ){0,3}${CONTACT_PLURAL}|be (?:contacted|texted|emailed|called|messaged|reached out to|bothered|solicited))`,
      `(?:rather|prefer(?: that| it if)?|appreciate it if|appreciate if|(?:be|is) (?:great|better|nice|best|good) if) (?:you|yall|you guys|your (?:company|team|office)) (?:would |could |will |can )?(?:not|didnt|did not|wouldnt|would not|dont|do not|no longer|stopped|quit|ceased) (?:${CHANNEL_VERB}|reaching out|contacting|texting|emailing|calling|messaging|sending)`,
      "(?:please |kindly )?refrain from (?:contacting|texting|emailing|calling|messaging|reaching out|sending)",
    ),
    scope: "allIfUnscoped",
    limitable: true,
  },
  // "not a fan of the texts", "I don't do texts", "I don't like getting emails": a channel refused.
  {
    pattern: phrases(
      `not (?:a |really a |much of a |the biggest )?fan of ${DISLIKED_OBJECT}`,
      `(?:i|we) (?:really )?(?:dont|do not) (?:really )?(?:like|enjoy|appreciate|care for|love|want) ${DISLIKED_OBJECT}`,
      `(?:i|we) (?:hate|dislike|detest|despise) ${DISLIKED_OBJECT}`,
      "(?:i|we) (?:dont|do not|never|no longer) (?:do|use|read|check|answer|open|monitor) (?:texts?|text messages|sms|emails?|e?mail|(?:my|this|that) (?:email|email address|inbox))",
    ),
    scope: "allIfUnscoped",
    limitable: true,
    aboutOthers: true,
  },
  // "I don't want any more texts", "I don't want to be contacted".
  {
    pattern: phrases(
      `(?:dont|do not|no longer|didnt|did not|never) (?:want|wish|need|like) (?:to (?:receive|get) (?:any|these|those|your|more|texts|messages|emails|calls|this|anything|spam)|to be (?:contacted|texted|called|emailed|bothered|messaged|solicited)|to hear from|(?:any|your|these|those|the|this|more|anymore) (?:more |further |of (?:your|these|the) )?${CONTACT_PLURAL}|(?:you|yall|anyone) to (?:contact|text|call|email|message|reach|write|bother|send))`,
      "(?:dont|do not) (?:want|wish) (?:texts|messages|emails|calls|contact)",
    ),
    scope: "allIfUnscoped",
    aboutOthers: true,
  },
  // "text me instead of emailing": the channel after "instead of" is the one to stop.
  {
    pattern: phrases(
      "(?:instead of|rather than|not by|not via|not through) (?:texting|text|texts|messaging|messages|emailing|email|emails|calling|calls|phone calls)",
    ),
    scope: "scan",
  },
  // Spanish.
  {
    pattern: phrases(
      "no (?:me |nos )(?:escriban|escribas|escriba|escribe|manden|mandes|mande|envien|envies|envie|contacten|contactes|contacte|llamen|llames|llame|molesten|molestes|moleste|busquen|textees|texteen|hablen)",
      "(?<!(?:^| )no )(?:deja|dejen|dejar|deje|dejes|dejan|paren|para|pare) de (?:enviar|escribir|mandar|llamar|molestar|contactar|textear|buscar)\\w*",
      "(?:borra|borre|borren|borrar|borrame|borrenme|elimina|elimine|eliminen|eliminar|eliminame|eliminenme|quita|quite|quiten|quitar|quitame|quitenme|saca|saque|saquen|sacar|sacame|saquenme)(?: me| nos)? (?:mi|mis|de|del|este|esta|nuestro|nuestros)",
      "(?:no|ya no) (?:quiero|queremos|deseo|deseamos) (?:recibir|mas|que me|que nos|ser contactad[oa]s?|saber nada|sus|tus|estos|esos)",
      "nunca (?:mas )?(?:me |nos )?(?:vuelvan a |vuelvas a )?(?:contacten|escriban|llamen|manden|envien|molesten)",
      "no (?:me |nos )?(?:vuelvan|vuelvas) a (?:escribir|llamar|contactar|mandar|enviar|molestar)",
    ),
    scope: "allIfUnscoped",
  },
  {
    pattern: phrases(
      "(?:dar|darme|darse|doy|de|denme|den|deme|dame|dan|darnos) de baja",
      "(?:dejame|dejenme|dejanos|dejennos) (?:en paz|tranquil[oa]s?)",
      "(?:como|de donde) (?:consiguieron|consiguio|obtuvieron|sacaron|tienen|tiene|sacaste) (?:mi|este) (?:numero|correo|informacion)",
      "nunca (?:me )?(?:registre|suscribi|inscribi|di mi)",
    ),
    scope: "all",
  },
];

/** A time limit after "don't call me": a preference about when, not a stop. */
const TIME_LIMIT =
  /^(?:before|after|until|till|til|during|between|so early|so late|this early|this late|at night|at work|on (?:weekends|sundays|saturdays)|in the (?:morning|evening)|while|yet|past|early|late)\b/;

/** Allowing a channel: "email is fine", "you can text me", "call me", "email me instead". */
const ALLOWANCES: { pattern: RegExp; implies: boolean }[] = [
  {
    pattern: phrases(
      "(?:email|emails|mail|text|texts|texting|sms|call|calls|calling|phone|phone calls|correo|llamadas?|mensajes?) (?:is |are |s |would be |works |work |seems )?(?:the )?(?:fine|ok|good|better|great|preferred|best|alright|all right|works|easier|simpler|faster|quicker|more convenient|esta bien|mejor)",
      "(?:email|text|call|phone|ring) (?:me|us)",
      "(?:feel free to|you can|you may|go ahead and|ok to|fine to|happy to get|happy to receive) (?:email|text|call|phone|ring)",
      "(?:shoot|send|drop|flick) (?:me|us) (?:a |an )?(?:quick )?(?:text|email|e mail|line|sms)",
      "(?:use|try) (?:my|the|our) (?:email|e mail|email address|inbox)",
      "(?:mandenme|mandame|mandeme|envienme|enviame|envieme|escribanme|escribeme|escribame) (?:un |una |por |al )?(?:mensaje|mensajes|texto|textos|correo|email|mail)",
      "(?:contact|reach|reach out|get|send|write) (?:me |us |it |them |everything |anything |info |that |details |stuff )?(?:by|via|through|thru|over|on|at|to) (?:my )?(?:email|text|phone|cell|mail|sms|inbox)",
      "my email(?: address)? is",
      // "I'm good with email", "keep texting me", "I still want a text when it opens".
      "(?:im|i am|were|we are|thats|that is|its) (?:good|fine|ok|happy|alright|cool) with (?:an? )?(?:email|emails|text|texts|texting|sms|calls?|phone calls?)",
      "keep (?:on )?(?:texting|emailing|messaging|calling)",
      "keep (?:chatting|talking|in touch|this|it|things|the conversation|our conversation|communicating|me (?:posted|updated|informed))(?: going)? (?:by|via|over|through|thru|on|in|to) (?:text|texts|email|sms|phone)",
      "still (?:want|like|welcome|read|check|get|receive|reachable|available|happy|ok|fine|open|reach)(?: \\w+){0,4}? (?:by |via |over |through |on |at |to )?(?:an? |the |your |my )?(?:text|texts|texting|email|emails|sms|inbox|cell|phone)",
      "(?:ill|i will|i can|i do|i|we|well|we will|we do) (?:still |keep |keep on |continue to |continue )?(?:check|checking|read|reading|see|watch|look at|monitor|answer|respond to|reply to) (?:my |your |the |any )?(?:email|emails|inbox|texts|text messages|sms)",
      "(?:can|could|would) you (?:just |please |maybe )?(?:email|text)(?: me| us)?(?= [?.!,]|$| instead| the| it| them| that| this| everything| info| details)",
      "(?:reach|contact|get|find|text|email|call|message) (?:me|us) (?:on|at|via|by|through) (?:my )?(?:cell|mobile|phone)",
      "(?:call|ring|phone) my (?:cell|mobile|phone|landline|home phone|office|work phone)",
      "(?:llamame|llameme|llamenme|marcame)",
      "(?:escribeme|escribame|escribanme|mandame|mandeme|envieme|enviame) (?:un |al |por )?(?:correo|email|mail)",
    ),
    implies: false,
  },
  {
    pattern: phrases(
      "(?:only|just) (?:by |via |through |over )?(?:email|emails|text|texts|call|calls|phone|sms)",
      "(?:only|just) (?:contact|reach|reach out to|get in touch with|message|write to|write) (?:me|us) (?:by|via|through|thru|over|on|at|in) (?:my |an? )?(?:email|emails|text|texts|sms|inbox)",
      "(?:contact|reach|message|write to) (?:me|us) (?:only|just|exclusively) (?:by|via|through|thru|over|on|at|in) (?:my |an? )?(?:email|emails|text|texts|sms|inbox)",
      "(?:switch|move|change|go|swap) (?:over )?to (?:email|emails|emailing|e mail|text|texts|texting|sms)",
      "(?:email|emails|text|texts|texting|call|calls|phone|sms)(?: me| us)? only",
      "prefer (?:to be |being )?(?:contacted |reached )?(?:by |via |over |through )?(?:an? )?(?:email|text|texting|emailing|emails|texts|sms)",
      "(?:rather|better) (?:you |to )?(?:email|text)",
      "(?:rather|prefer to) (?:get|receive|have|be contacted by|be reached by) (?:an? )?(?:email|text|emails|texts)",
      "(?:move|switch|take|continue) (?:this|it|things|the conversation|our conversation) (?:to|over to|by|via) (?:email|text)",
      "(?:email|text) (?:me|us) instead",
      "(?:via|by|over|through) (?:email|text|texts|sms) instead",
      "keep (?:this|it|things|the conversation|our conversation|communications?|everything) (?:to|on|over|via|by|in) (?:email|text|texts|sms)",
      "prefiero (?:por |un |los |el |que me )?(?:mensajes?|textos?|correos?|email|mail|escriban|llamen)(?: de texto)?",
      "mejor (?:por |al )?(?:correo|email|texto|mensaje)",
      "solo (?:por )?(?:correo|email|texto|mensajes?)",
    ),
    implies: true,
  },
];

/** Another address or app to use: "use my personal one", "whatsapp me", "text my cell instead". */
const ELSEWHERE = phrases(
  "(?:use|check|read|monitor|try) (?:my|the|this|our) (?:other|personal|home|work|cell|mobile|new|private|main|gmail|business|second)(?: (?:one|number|email|address|phone|cell|mobile|email address|line|account|inbox))?",
  "(?:reach|contact|text|email|message|call|write|send (?:it|them|things|stuff|everything|anything)) (?:me |us )?(?:at|on|to) (?:my|the) (?:other|personal|home|new|private|second|gmail) (?:one|number|email|address|phone|cell|line|email address|account)",
  "(?:whatsapp|telegram|imessage|messenger|signal) (?:me|us|is|works|only|instead)",
  "(?:on|via|through|over|by) (?:whatsapp|telegram|imessage|messenger)",
);

function allowanceMeans(phrase: string): Means | undefined {
  // The channel's noun decides before a Spanish verb of sending does: "mandenme un mensaje" is SMS.
  if (/\b(?:e?mail|emails|inbox|correo|correos)\b/.test(phrase)) return "email";
  if (
    /\b(?:text|texts|texting|sms|mensajes?|textos?|whatsapp|telegram|imessage|messenger|signal)\b/.test(
      phrase,
    )
  )
    return "sms";
  if (/\b(?:escrib\w*|mand\w*|envi\w*)\b/.test(phrase)) return "email";
  if (/\b(?:call|calls|calling|phone|ring|cell|mobile|llam\w*|marcame)\b/.test(phrase)) return "call";
  return undefined;
}

/**
 * A negation or a stop word just before an allowance cancels it: "don't email me" allows nothing,
 * and in "unsubscribe from email only" the "email only" scopes the stop.
 */
const ALLOWANCE_CANCELLED_BY =
  /^(?:dont|not|never|no|stop|quit|cant|wont|didnt|did|why|who|from|unsubscribe)$/;

function findAllowances(words: Words, raw: string, channel: Channel): Allowance[] {
  const found: Allowance[] = [];
  for (const { pattern, implies } of ALLOWANCES) {
    for (const match of words.text.matchAll(pattern)) {
      const at = tokenIndexAt(words.text, match.index);
      if (tokensBefore(words.tokens, at, 2).some((word) => ALLOWANCE_CANCELLED_BY.test(word))) continue;
      const means = allowanceMeans(match[0]);
      if (means === undefined) continue;
      const after = tokensAfter(words.tokens, at + match[0].split(" ").length - 1, 3);
      found.push({
        phrase: match[0],
        means,
        implies: implies || after.includes("instead"),
        elsewhere: false,
      });
    }
  }
  for (const match of words.text.matchAll(ELSEWHERE)) {
    const at = tokenIndexAt(words.text, match.index);
    if (tokensBefore(words.tokens, at, 2).some((word) => ALLOWANCE_CANCELLED_BY.test(word))) continue;
    const means = allowanceMeans(match[0]) ?? channel;
    found.push({ phrase: match[0], means, implies: false, elsewhere: true });
  }
  // The includes() first: the pattern alone backtracks for a long time over a long message with no "@".
  if (raw.includes("@") && /[\w.+-]+@[\w-]+\.[\w.]+/.test(raw))
    found.push({ phrase: "an email address", means: "email", implies: false, elsewhere: false });
  return found;
}

const STOP_WORDS = new Set(
  "stop cancel cancelar canceled cancelled canceling cancelling remove end quit quite halt cease desist enough baja alto basta parar".split(
    " ",
  ),
);

interface StopResult {
  reading?: IntentReading;
  /** A stop of every channel resting on this one phrase, which the trained reader may overrule. */
  phrase?: string;
  /** Why a stop-like word was not read as a stop, for the reason when nothing else decides. */
  note?: string;
}

const MEANS_NAME: Record<Means, string> = { sms: "texts", email: "emails", call: "calls" };

function findStopSignals(
  words: Words,
  channel: Channel,
  raw: string,
): { signals: StopSignal[]; others: OtherSense[] } {
  const { text, tokens } = words;
  const signals: StopSignal[] = [];
  const others: OtherSense[] = [];
  const delight = DELIGHT.test(raw);
  for (const [index, token] of tokens.entries()) {
    let sense: WordSense | undefined;
    if (token === "stop")
      sense = banter(readStopWord(tokens, index, channel), tokens, index, delight, channel);
    else if (token === "stops" || token === "stopped" || token === "stopping")
      sense = readInflectedStop(tokens, index, channel);
    else if (STOP_WORDS.has(token)) sense = readOtherStopWord(tokens, index, channel);
    if (sense === undefined) continue;
    if (sense.stop === false) others.push(sense);
    else signals.push(sense.signal);
  }
  for (const rule of STOP_RULES) {
    for (const match of text.matchAll(rule.pattern)) {
      const at = tokenIndexAt(text, match.index);
      const end = at + match[0].split(" ").length - 1;
      // A phrase explained away is kept as another sense, so the trained reader does not stop it.
      const explained = (sense: string) => others.push({ stop: false, sense, phrase: match[0] });
      // "shut up, no way it's that cheap. sign me up": astonishment, not hostility.
      if (match[0] === "shut up" && isBanter(tokens, at, delight, channel)) {
        explained("banter");
        continue;
      }
      // "I don't want to unsubscribe" is no stop; "why don't you unsubscribe me" is one.
      const negation = negationBefore(tokens, at);
      if (rule.negatable && negation >= 0 && tokens[negation - 1] !== "why") {
        explained("turned down");
        continue;
      }
      // "take me off the 10th and put me on the 11th": a change of slot, not of contact.
      if (/\b(?:off|from)\b/.test(match[0]) && RESCHEDULE.test(tokensAfter(tokens, end, 12).join(" "))) {
        explained("a change of slot");
        continue;
      }
      const following = tokensAfter(tokens, end, 3).join(" ");
      if (rule.aboutOthers && SOMEONE_ELSES.test(following)) {
        explained("about someone else's messages");
        continue;
      }
      // "my husband asked to be removed"; but "can someone please remove me" asks for the lead.
      const forTheLead = [...match[0].split(" "), ...tokensAfter(tokens, end, 1)].some((word) =>
        /^(?:me|us|my|our)$/.test(word),
      );
      if (rule.scope !== "all" && !forTheLead && someoneElseDid(tokensBefore(tokens, at, 4))) {
        explained("someone else's doing");
        continue;
      }
      if (rule.service && SOMEONE_ELSES_INBOX.test(tokensAfter(tokens, end, 3).join(" "))) {
        explained("about someone else's inbox");
        continue;
      }
      // "I accidentally unsubscribed, put me back": told of, not asked; "unsubscribe me from SMS,
      // I still want the newsletter" still asks.
      const asksForSelf =
        /^(?:me|us)$/.test(tokensAfter(tokens, end, 1)[0] ?? "") && !DONE_TO_THE_LEAD.test(raw);
      if (rule.service && TOLD_OF.test(raw) && !asksForSelf) {
        if (WANTS_MORE.test(raw)) {
          explained("told of by someone who wants to keep hearing from us");
          continue;
        }
        if (BY_ACCIDENT.test(raw)) {
          explained("a slip");
          continue;
        }
      }
      if (rule.service) {
        const object = tokensAfter(tokens, end, 5);
        if (
          SERVICE_OBJECT.test(object.join(" ")) &&
          !object.some((word) => CONTACT_NOUN.test(word) || meansOf(word, channel) !== undefined)
        ) {
          explained("about a service, not our messages");
          continue;
        }
        if (LEFT_ANOTHER_SERVICE.test(raw) && isAnotherService(object, channel)) {
          explained("about another service they left");
          continue;
        }
      }
      // "don't call me before 9" limits when; "why don't you call me" invites.
      if (rule.limitable && (TIME_LIMIT.test(following) || tokensBefore(tokens, at, 2).includes("why"))) {
        explained("a limit on when, or an invitation");
        continue;
      }
      if (rule.scope === "all") {
        signals.push({ phrase: match[0], means: new Set(), all: true, consent: rule.consent === true });
        continue;
      }
      const means = scopeOf([...match[0].split(" "), ...tokensAfter(tokens, end, 5)], channel);
      signals.push({ phrase: match[0], means, all: rule.scope === "allIfUnscoped" && means.size === 0 });
    }
  }
  // "Is there a way to opt in to text reminders?": the opposite of opting out.
  const optIn = OPT_IN.exec(text);
  if (optIn !== null) others.push({ stop: false, sense: "a wish to receive more", phrase: optIn[0] });
  // "Is this spam?" doubts us; it asks, and a stop would answer a request nobody made.
  const doubt = GENUINE_QUESTION.exec(text);
  if (doubt !== null)
    others.push({ stop: false, sense: "a question whether we are genuine", phrase: doubt[0] });
  return { signals, others };
}

const OPT_IN =
  /(?<=^| )(?:opt|opted|opting|sign|signed|signing) (?:me |us |back )?(?:in|into|up for|back in)(?= |$)|(?<=^| )re ?subscribe\w*(?= |$)/;

const GENUINE_QUESTION =
  /(?<=^| )(?:is|are) (?:this|these|you|it|that) (?:a |an )?(?:spam|scam|bot|robot|real|legit|legitimate)(?= ?\?)/;

/** A list or series of one channel: "the email list", "SMS reminders", "the texting list". */
const CHANNEL_LIST = phrases(
  "(?:email|text|texting|sms|txt) (?:list|lists|mailing list|drip|drips|newsletters?|blasts?|campaigns?|reminders|alerts|updates|marketing|promos?|promotions|sequence|subscription)",
);

/**
 * Whether the lead asked to stop, and how far: every channel (`do_not_contact`) or the one they
 * are leaving (`opt_out_channel`: a stop about one channel plus an allowance of another). A stop
 * that names no other channel to use stops everything, because that is the safe reading.
 */
function readStop(words: Words, channel: Channel, raw: string): StopResult {
  const { signals, others } = findStopSignals(words, channel, raw);
  const allowances = findAllowances(words, raw, channel);
  // "email me instead" on SMS stops SMS; "email only" on email stops SMS too, unless it answers a
  // refusal of calls ("don't call me, text only" is about calls, not about email).
  const refusesCalls = signals.some((found) => found.means.has("call"));
  const implied = allowances.filter(
    (allowance) =>
      allowance.implies &&
      allowance.means !== "call" &&
      (allowance.means !== channel ||
        (!refusesCalls && /(?<=^| )(?:only|solo)(?= |$)/.test(allowance.phrase))),
  );
  const note =
    others[0] === undefined
      ? undefined
      : `"${others[0].phrase}" is ${others[0].sense}, not a stop request; no other intent phrase was found.`;

  if (signals.length === 0 && implied.length === 0) return { note };
  // "Not me, I never filled out any form": the wrong person, not a stop of a lead's own.
  if (implied.length === 0 && signals.every((found) => found.consent) && findWrongNumber(words.text, raw))
    return { note };
  const everything = signals.find((found) => found.all);
  if (everything !== undefined)
    return {
      reading: { intent: "do_not_contact", reason: `asked to stop all contact ("${everything.phrase}").` },
      phrase: everything.phrase,
    };

  const stopped = new Set<Means>();
  for (const found of signals) {
    if (found.means.size === 0) stopped.add(channel);
    for (const means of found.means) stopped.add(means);
  }
  for (const allowance of implied) stopped.add(allowance.means === "sms" ? "email" : "sms");
  const allowedElsewhere = allowances.filter(
    (allowance) => allowance.elsewhere || !stopped.has(allowance.means),
  );
  const messaging = [...stopped].filter((means): means is Channel => means !== "call");
  const first = signals[0]?.phrase ?? implied[0]?.phrase ?? "";
  const allowance = allowedElsewhere[0];

  if (allowance !== undefined) {
    // No calls, texts welcome: an opt-out of calls only (kept for when voice exists); texts go on.
    if (messaging.length === 0)
      return {
        reading: {
          intent: "opt_out_channel",
          reason: `asked for no calls and allowed ${MEANS_NAME[allowance.means]} ("${first}", "${allowance.phrase}").`,
          optOutChannel: "call",
        },
      };
    const only = messaging[0];
    if (messaging.length === 1 && only !== undefined)
      return {
        reading: {
          intent: "opt_out_channel",
          reason: `asked to stop ${MEANS_NAME[only]} only and allowed ${allowance.elsewhere ? "another address or app" : MEANS_NAME[allowance.means]} ("${first}", "${allowance.phrase}").`,
          optOutChannel: only,
        },
      };
  }
  // "take me off the email list": a list of one channel, so the request stops that channel only.
  const list = firstMatch(CHANNEL_LIST, words.text);
  const listMeans = list === undefined ? undefined : allowanceMeans(list.split(" ")[0] ?? "");
  // A lead who also declines ("not interested, take me off the text list") is stopped everywhere.
  if (
    list !== undefined &&
    messaging.length === 1 &&
    messaging[0] === listMeans &&
    !stopped.has("call") &&
    findNotInterested(words.text) === undefined
  )
    return {
      reading: {
        intent: "opt_out_channel",
        reason: `asked to stop one channel's list only ("${first}", "${list}").`,
        optOutChannel: messaging[0],
      },
    };
  const named = [...stopped];
  const limited = named.length === 1 && signals.every((found) => found.means.size > 0);
  return {
    reading: {
      intent: "do_not_contact",
      reason: limited
        ? `asked to stop ${MEANS_NAME[named[0] ?? channel]} and allowed no other channel, so all contact stops ("${first}").`
        : `asked to stop all contact ("${first}").`,
    },
    phrase: first,
  };
}

// ---------------------------------------------------------------------------------------------
// Auto-replies
// ---------------------------------------------------------------------------------------------

const AUTO_REPLY_ANY =
  /\b(?:automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|automatic response|automated (?:response|reply|message)|this (?:mailbox|inbox|email address) is (?:not|no longer) (?:monitored|in use|active)|driving with do not disturb|this (?:number|line|phone) (?:does not|doesn't|cannot|can't|is unable to) (?:accept|receive) (?:text|sms)|do not disturb while driving|respuesta autom[aá]tica)\b/i;
const AUTO_REPLY_EMAIL =
  /\b(?:out of (?:the )?office|ooo|i(?:'m| am) (?:currently )?(?:away|out|on (?:vacation|holiday|leave|annual leave|pto|parental leave|maternity leave|paternity leave|a business trip))(?: from| until| till| through| and| with| on)|limited access to (?:e-?mail|my e-?mail)|(?:respond|reply|get back to you) (?:to your (?:e-?mail|message) )?(?:as soon as (?:possible|i (?:can|return|get back))|when i (?:return|get back)|upon my return|on my return)|fuera de la oficina)\b/i;

function autoReplyPhrase(raw: string, channel: Channel): string | undefined {
  const text = raw.replace(/[\u2018\u2019]/g, "'");
  const found = AUTO_REPLY_ANY.exec(text) ?? (channel === "email" ? AUTO_REPLY_EMAIL.exec(text) : null);
  return found?.[0].toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Everything but a stop, in decision order
// ---------------------------------------------------------------------------------------------

interface IntentRule {
  intent: Intent;
  /** The start of the reason sentence; the deciding phrase follows in quotes. */
  why: string;
  find: (text: string, raw: string) => string | undefined;
}

function firstMatch(
  pattern: RegExp,
  text: string,
  skip?: (at: number, phrase: string) => boolean,
): string | undefined {
  for (const match of text.matchAll(pattern)) {
    if (skip?.(match.index, match[0])) continue;
    return match[0];
  }
  return undefined;
}

/** Every word of the message is one of `allowed`, and it opens with one of `openers`. */
function onlyWords(text: string, openers: RegExp, allowed: ReadonlySet<string>): string | undefined {
  const words = text.split(" ").filter((token) => !PUNCTUATION.has(token));
  if (words.length === 0 || !openers.test(words[0] ?? "")) return undefined;
  return words.every((word) => allowed.has(word)) ? words.join(" ") : undefined;
}

// --- wrong number ---

const WRONG_NUMBER = phrases(
  "wrong (?:number|numbers|person|guy|girl|lady|man|woman|contact|phone|cell|email|address|one|people|name|recipient|text)",
  "(?:you|youve|you have|yall) (?:have|got|must have|might have|may have|probably have|texted|called|emailed|messaged|reached) the wrong",
  "(?:texted|text|called|emailed|messaged|reached|sent this to|sent to) (?:the )?wrong",
  "(?:no ?one|nobody|no body|noone) (?:here )?(?:by|with|named|called) (?:that|this|the) name",
  "(?:no ?one|nobody|noone) (?:here |lives here )?(?:named|called) \\w+",
  "(?:theres|there is) no \\w+ (?:here|at this number|at this address|on this number)",
  "(?:this|that) (?:is not|isnt|aint) (?:his|her|their|\\w+s) (?:number|phone|cell|email)",
  "not (?:his|her|their) (?:number|phone|cell)",
  "(?:doesnt|does not|no longer) (?:have|has|use|uses|own|owns) this (?:number|phone|cell|email)",
  "(?:i|we) (?:just )?(?:got|have|received) (?:this|a) new (?:number|phone number)",
  "(?:this|that) is (?:a|my) new number",
  "(?:i|we) just got this (?:number|phone)",
  "number (?:was|has been|got) (?:recently )?(?:reassigned|recycled)",
  "(?:dont|do not) know (?:any|anyone|anybody|a|who) (?:named|by|called|that)",
  "(?:dont|do not) know what (?:you are|youre|your|this is) (?:talking about|referring to)",
  "(?:have|got) (?:me|the) (?:confused|mixed up|mistaken)",
  "not the (?:person|guy|girl|lady|one|man|woman) (?:you|youre|your)",
  "(?:number|phone) (?:no longer|doesnt|does not) belongs? to",
  "(?:received|got|getting|get) (?:this|these|your) (?:email|emails|text|texts|message|messages) by (?:mistake|accident|error)",
  "not (?:whoever|who) (?:youre|you are|you|your) (?:trying|looking|want|think|meant)",
  "(?:never|didnt|did not) (?:apply|applied) for (?:a|an|any)",
  "(?:doesnt|does not|no longer) (?:live|lives|work|works) (?:here|at this)",
  "(?:meant|supposed) (?:to send|for) (?:this |that |it )?(?:to )?(?:someone|somebody) else",
  "(?:meant|mean|means|trying|supposed|wanted|want) to (?:text|call|email|message|reach|contact) (?:someone|somebody) else",
  "(?:this|its) (?:is )?(?:a |my )?(?:business|work|office|company|shop) (?:line|number|phone|cell)",
  // "not sure who you're trying to reach", "it's not me", "you want someone else".
  "(?:not sure|no idea|dont know|not certain|no clue) who (?:youre|you are|your|you|yall are) (?:trying to (?:reach|contact|text|call|email|get)|looking for|want|mean|think|after|texting|calling|emailing)",
  "(?:its|it is|thats|that is|this is|that aint|its def|its definitely) (?:not|definitely not|def not) me(?= [.!?,;:]|$| sorry| lol| but| though| tho)",
  "(?:its|that|this) (?:isnt|wasnt|aint) me(?= [.!?,;:]|$| sorry| lol| but| though| tho)",
  "(?:you|youre|you are|yall are) (?:looking for|thinking of|after|trying to reach|wanting) (?:someone|somebody) else",
  "(?:must|might|probably|may) (?:mean|want|be looking for|be thinking of) (?:someone|somebody) else",
  "(?:im|i am) not (?:who|the (?:person|one)) (?:you|youre)",
  "(?:this|that) (?:isnt|is not|aint) the (?:right|correct) (?:number|person|email|phone)",
  // "this number belonged to someone else", "someone typed their number wrong".
  "(?:number|phone|email|line|cell) (?:used to belong|belonged|used to be|previously belonged|was|was previously|used to go) (?:to )?(?:someone|somebody|a previous|the previous|another|some other|a different|the last|the old)",
  "(?:previous|prior|last|old) (?:owner|person|user|holder) of (?:this|the|my) (?:number|phone|email|line)",
  "(?:typed|entered|put|gave|wrote|typed in|put in|entered in|put down) (?:their|his|her|the|a|my|this|your) (?:number|email|phone number|phone|email address|address|info) (?:in )?(?:wrong|incorrectly|by mistake|by accident)",
  "(?:mistyped|misspelled|fat fingered) (?:their|his|her|the|a|my) (?:number|email|phone)",
  "(?:numero|numro) equivocad[oa]",
  "equivocad[oa]s?",
  "se equivoc\\w*",
  "(?:aqui|aca) no (?:vive|hay|existe) (?:nadie|ningun\\w*)",
);

/** Words that follow "I'm not" or "this isn't" in upper case without being a name. */
const NOT_A_NAME = new Set(
  "I Interested Sure Available Looking Ready Now Today Tomorrow Yet Really Right Selling Buying Moving At In The A That This It Going Gonna Able Happy Home Here There Quite Very Too So Currently Anymore Any Who What Worried Convinced Kidding Done Good Okay Ok Fine Free Sorry Familiar Aware Comfortable Planning Allowed Your My Our Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December Spring Summer Fall Winter Thanks Problem Worries Way Need Rush".split(
    " ",
  ),
);

/** "Not me." opening the message: the lead is not who we are writing to. */
const NOT_ME =
  /^(?:(?:sorry|nope|no|um|uh|lol) )?not me(?: (?:lol|sorry|haha|bro|dude|man|buddy))?(?= [.!,;]|$)/;

function findWrongNumber(text: string, raw: string): string | undefined {
  const phrase = firstMatch(WRONG_NUMBER, text) ?? NOT_ME.exec(text)?.[0];
  if (phrase !== undefined) return phrase;
  // "This isn't Sarah", "I'm not Mike": a name in capitals, which lower case cannot tell apart.
  const cased = raw.replace(/[\u2018\u2019]/g, "'");
  for (const match of cased.matchAll(
    /\b(?:[Tt]his is not|[Tt]his isn'?t|[Ii]'?m not|[Ii] am not|[Nn]o|[Dd]on'?t know (?:any|an?))\s+([A-Z][a-z]+)\b(?:\s+(?:here|at this (?:number|address|phone|email)|on this (?:number|phone|line)))?/g,
  )) {
    const name = match[1] ?? "";
    if (NOT_A_NAME.has(name)) continue;
    if (/^no\s/i.test(match[0]) && !/\s(?:here|number|address|phone|email|line)$/.test(match[0])) continue;
    return match[0].toLowerCase();
  }
  return undefined;
}

// --- not interested ---

const NOT_INTERESTED = phrases(
  "not (?:really |very |that |too |at all |even |currently |anymore |any more |super )?interested",
  "(?:no|zero|lost) interest",
  "no longer (?:interested|looking|need|needed|needing|in the market|searching|want|selling|buying|moving)",
  "uninterested",
  "disinterested",
  "no (?:thanks|thank you|thx|gracias)",
  "(?:nah|nope|naw)",
  "(?:ill|i will|we will|well|gonna|going to|im going to|i think ill|i will have to|ill have to|have to|gotta|must|im gonna|i must) pass",
  "hard pass",
  "pass (?:on (?:this|that|it))",
  "not for (?:me|us)",
  "not (?:right )?now",
  "not at (?:this|the) (?:time|moment|point)",
  "not (?:this|right) (?:time|year|season|month)",
  "not until",
  "(?:staying|stay) put",
  "(?:going to|gonna|will|well|we will|were going to|were gonna) wait",
  "sold (?:it |the house |the home )?already",
  "(?:we|i|just|already) sold (?:it|the|our|my)",
  "renewed (?:with|our|my)",
  "(?:thanks|thank you|thx) anyways?",
  "(?:got|found) a (?:better|cheaper|lower) (?:rate|price|deal|quote|offer) (?:somewhere else|elsewhere|with|from|at)",
  "found (?:a|an|another|one) (?:\\w+ )?(?:closer|cheaper|nearer|nearby|elsewhere|somewhere else)",
  "not (?:today|anymore|any more|ready|looking|buying|selling|in the market|moving|planning|a good time|the right time|a priority)",
  "(?:maybe|possibly|perhaps) (?:later|next (?:year|month|time|season|spring|summer|fall|winter|week)|in (?:the )?(?:spring|summer|fall|autumn|winter|future|new year|a (?:few|couple)|\\d+))",
  "(?:try|check back|ask|reach out|contact me|circle back|text me|hit me up|follow up) (?:me |us )?(?:again )?(?:in|next|after) (?:the )?(?:spring|summer|fall|autumn|winter|new year|year|a few months|a couple (?:of )?months|\\d+ months|few months|six months)",
  "already (?:bought|purchased|sold|rented|leased|closed|moved|went with|signed (?:with|a|up with)|hired|chose|picked|found (?:a|an|one|someone|somebody|something|the|another|our|my)|have (?:a|an|our|my) (?:agent|realtor|lender|contractor|company|provider|policy|plan|broker|dentist|doctor|dealer|plumber|roofer|electrician|mechanic|carrier|insurer|gym|trainer|cleaner|landscaper|accountant|advisor|planner|vendor|crm|platform|system|tool|solution|guy|person)|got (?:a|an|one)|working with)",
  "(?:went|going|gone|decided to go|chose to go|ended up going|signed|signing|go) with (?:someone|somebody|another|a different|other|a competitor|my|our|a local|the other)",
  // "had the roof done by someone else", "bought one from another dealer".
  "(?:by|from|with|through) (?:someone|somebody) else",
  "(?:from|with|through|at) (?:another|a different|a cheaper|a local) (?:dealer|dealership|company|agent|agency|realtor|lender|bank|contractor|provider|broker|builder|shop|office|dentist|doctor|clinic|place|store|insurer|carrier|team|firm|crew|vendor)",
  "(?:look|looking|shop|shopping|go|going|went|buy|buying|bought|try|trying|got|found) (?:elsewhere|somewhere else)",
  "not (?:a |the )?(?:good |great |right |perfect )?fit",
  "(?:diy|diying|do it (?:ourselves|myself)|doing it (?:ourselves|myself))",
  "(?:wife|husband|partner|spouse|boss|hubby|family|landlord|manager) (?:says|said) no",
  "(?:dont|do not|wont|will not|no longer) need (?:\\w+ ){0,5}after all",
  "(?:found|hired|chose|picked) (?:someone|somebody|another|a different|other)",
  "(?:decided|chose|choose) (?:to go|to stay|to wait|to hold off|to pass|not to|against|to cancel|to postpone|to scrap|to put|to rent|to keep|to renew|to stick)",
  "changed (?:my|our) minds?",
  "(?:hold|holding) off",
  "(?:put|putting) (?:it|this|things|everything|(?:the|our|my)(?: \\w+){1,3}) on hold",
  "(?:dont|do not|no longer) (?:need|want) (?:it|this|that|one|anything|your (?:help|services?|product|offer)|help|any (?:help|more)|services?|to (?:buy|sell|move|switch|refinance))",
  "no need",
  // "we already have someone", "we figured it out", "it's been taken care of".
  "already (?:have|got|hired|found) (?:someone|somebody|a guy|a gal|a person|people|my own|our own|one)",
  "(?:have|got) (?:someone|somebody|a guy|a gal) (?:for (?:that|this|it)|already|lined up)",
  "(?:sorted|figured|worked) (?:it|that|this|things|everything) out",
  "(?:been|got|gotten|was|were|is|its|already|all) taken care of",
  "(?:were|im|all|already|got it|have it) (?:sorted|covered)",
  "(?:too|way too|very|so) (?:expensive|pricey|costly)",
  "(?:cant|cannot|can not) afford",
  "out of (?:my|our) (?:budget|price range|range)",
  "(?:stay|staying|keeping|keep|renew|renewing|sticking) with (?:my|our|the) (?:current|existing|own)",
  // "happy with my current plan", "no change needed": content with what they have.
  "(?:happy|satisfied|content|good|fine|set|ok) with (?:my|our|the|what (?:i|we)) (?:current|existing|present|own|have|got)",
  "no (?:change|changes|switch|switching) (?:needed|necessary|required|for (?:me|us))",
  "(?:dont|do not) (?:need|want|plan) to (?:change|switch)",
  // "found a cheaper quote", "ended up signing a lease elsewhere": the lead went another way.
  "found (?:a |an |another |some )?(?:cheaper|better|lower|closer|less expensive|more affordable|different) (?:\\w+ )?(?:quote|price|rate|deal|option|place|home|house|agent|company|provider|lender|plan|offer|apartment|rental|contractor|realtor|one|service|insurance|policy|broker|builder|program|vendor|solution|alternative|unit)",
  "ended up (?:signing|buying|going|renting|leasing|choosing|picking|hiring|staying|finding|getting|purchasing|using|closing|selling|sticking|keeping|renewing|moving|booking|working|with)",
  // "we removed that project from our budget": no money for it.
  "(?:removed|cut|took|dropped|pulled|struck|eliminated) (?:it|that|this|the|that|our)(?: \\w+)? (?:from|out of|off) (?:our|my|the) budget",
  "(?:not|isnt|is not|wasnt) in (?:the|our|my) budget",
  "(?:no|dont have (?:the|a|any)|do not have (?:the|a|any)) budget",
  "(?:project|plan|plans|idea|purchase|move|renovation|remodel|search|sale) (?:is|are|was|were|got|has been|have been) (?:cancelled|canceled|shelved|scrapped|postponed|put on hold|on hold|dead|off|called off)",
  "no me interesa",
  "no (?:estoy|estamos) interesad[oa]s?",
  "no gracias",
  "ahora no",
  "no por ahora",
  "ya (?:compre|encontre|tengo|vendi|rente)",
  "no (?:necesito|necesitamos)",
  "tal vez (?:despues|mas adelante|el proximo|en)",
);
/** "Probably not." on its own: a soft no. */
const SOFT_NO = clauseOpening(
  "(?:probably|prob|likely|most likely|definitely|def|certainly|maybe) not(?= [.!,;:]|$)",
);
const ALL_SET = clauseEnding("(?:im|were|i am|we are|all) set(?: thanks| thank you| for now)?");
const PLAIN_NO = new Set(
  "no nope nah naw thanks thank you sorry im good sir maam really not please ok gracias fine thats alright tho though".split(
    " ",
  ),
);
const IM_GOOD = new Set("im i am were we are good fine ok thanks thank you for now though".split(" "));

function findNotInterested(text: string): string | undefined {
  const phrase = firstMatch(NOT_INTERESTED, text, (at, found) => {
    // "not interested in the condo, but do you have a house?" is not a decline.
    const rest = text.slice(at + found.length);
    if (/(?<=^| )still (?:interested|looking|searching|in the market)/.test(rest)) return true;
    return (
      /(?<=^| )but /.test(rest) &&
      /\?|interested|looking for|do you have|would|what about/.test(rest.split(" but ")[1] ?? "")
    );
  });
  if (phrase !== undefined) return phrase;
  // "eh, no. thanks tho": a bare no after a hesitation.
  const unhesitant = text.replace(
    /^(?:(?:eh|meh|um|uh|umm|hmm|hm|ah|oh|well|honestly|actually|sorry|lol|haha|lmao) [,.]? ?)+/,
    "",
  );
  return (
    firstMatch(ALL_SET, text) ??
    firstMatch(SOFT_NO, text) ??
    firstMatch(PASS_ALONE, text) ??
    firstWithProvider(text) ??
    onlyWords(unhesitant, /^(?:no|nope|nah|naw|not)$/, PLAIN_NO) ??
    onlyWords(
      unhesitant.replace(/^(?:(?:thanks|thank you|ok|haha|lol|oh) [,.!]? ?)+/, ""),
      /^(?:im|i|were|we)$/,
      IM_GOOD,
    )
  );
}

/** "Pass." as a clause of its own. */
const PASS_ALONE =
  /(?<=^|[.!?,;:] )pass(?: (?:thanks|thank you|for now|on (?:this|that|it)))?(?= [.!?,;:]|$)/g;
/** "got approved with my credit union already": done with someone of their own. */
const WITH_OWN_PROVIDER = phrases(
  "(?:got|went|signed|approved|financed|sorted|handled|covered|insured|booked|closed|refinanced|going|getting|doing it|done) (?:\\w+ )?(?:with|through|by|at) (?:my|our) (?:own |local |current |existing |usual )?(?:bank|credit union|lender|agent|realtor|broker|company|provider|guy|contractor|insurance|insurer|dealer|builder|landlord|employer|family|friend|cousin|brother|sister|uncle|dad|mom)",
);

function firstWithProvider(text: string): string | undefined {
  // Only when it is done: "we're getting approved with our bank, what's next?" is still a lead.
  if (!/(?<=^| )(?:already|instead)(?= |$)/.test(text) || text.includes("?")) return undefined;
  return firstMatch(WITH_OWN_PROVIDER, text);
}

// --- booking ---

/** "after 5 years" is no time of day. */
const NOT_A_UNIT =
  "(?! (?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|percent|miles?|feet|ft|people|units|bedrooms?|beds?|baths?|k|grand|dollars|bucks|times)(?: |$))";
const WEEKDAY = "(?:mon|tues?|wed|weds|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?s?";
const TIME_WORD = `(?:tomorrow|tonight|today|${WEEKDAY}|this (?:morning|afternoon|evening|weekend|week)|next (?:week|weekend|${WEEKDAY})|\\d{1,2}(?::\\d{2})? ?(?:am|pm|oclock)|\\d{1,2}:\\d{2}|noon|(?:this |next |the )?weekend|(?:after|before|around|at) \\d{1,2}(?::\\d{2})?(?: ?(?:am|pm))?${NOT_A_UNIT}|(?:end|beginning|start|middle) of (?:the |next )?(?:week|month)|in the (?:morning|afternoon|evening)|(?:the )?\\d{1,2}(?:st|nd|rd|th)|manana|lunes|martes|miercoles|jueves|viernes|sabado|domingo)`;

const BOOKING = phrases(
  // "take me off the 10th and put me on the 11th": a slot asked for.
  "(?:put|move|switch|squeeze|fit|pencil|slide|bump) (?:me|us) (?:in|on|into|to|down for|over to)(?: (?:the|at|for))? (?:\\d\\w*|mon\\w*|tue\\w*|wed\\w*|thu\\w*|fri\\w*|sat\\w*|sun\\w*|tomorrow|tmrw|today|tonight|next|this|morning|afternoon|evening|noon)",
  "(?:lets|let us|can we|could we) do (?:the|a|that) (?:call|meeting|zoom|demo|tour|showing|visit|walkthrough|test drive)",
  "(?:can|could|will|ill|well|should) be (?:there|at (?:the|your) \\w+) (?:by|at|around|before|after) (?:\\d|noon)",
  // "what's your earliest availability", "anything open this week for an inspection?"
  "(?:earliest|next|soonest|first) (?:availability|available|opening|openings|slot|slots|appointment|appt|time)",
  "(?:anything|something|any time|anytime|a slot|a spot|any slots|any spots|any openings|an opening|availability) (?:open|available|free|left)",
  "(?:call|ring|phone|buzz) (?:me|us)",
  "meet (?:me|us|you|up)",
  "give (?:me|us) a (?:call|ring|buzz|shout)",
  "(?:can|could|would|will|please) (?:you |someone |somebody |an agent |a rep )?(?:call|ring|phone)",
  `call (?:back|tomorrow|today|tonight|later|anytime|any time|after|before|at|around|this|next|on|whenever|in the|between|asap|now|${WEEKDAY})`,
  "(?:a|quick|phone|brief|short|video|zoom) call (?:would|works|is|sounds|could|should|please|tomorrow|today|later|this|next|on|at)",
  "(?:hop|jump|get) on a (?:call|phone|zoom|quick call)",
  "(?:do|have|hop on|jump on|set up|schedule|book|arrange) a (?:quick |short |phone |video |zoom )?(?:call|meeting|chat|zoom)",
  "(?:can|could|may) i (?:come|see|view|tour|stop (?:by|in|over)|swing|visit|schedule|book|call|ring|phone)",
  // "can someone come today", "can the movers come on the 28th", "send someone out Monday".
  "(?:can|could|would|will) (?:you|someone|somebody|anyone|anybody|they|he|she|a tech|a technician|the \\w+|your \\w+) (?:come|swing|stop|drop|pop) (?:by|over|out|on|in|today|tomorrow|tonight|back|this|next|and|to|early|later|soon|asap)",
  `send (?:someone|somebody|anyone|a (?:tech|technician|plumber|crew|guy|person|rep|team|pro)|an (?:electrician|inspector|estimator|agent|installer)|your (?:tech|guy|team|crew|installer)|over someone|out someone) (?:out|over|by|today|tomorrow|asap|this|next|on|${WEEKDAY})`,
  "(?:good|best|convenient) time to (?:talk|call|chat|meet|reach you)",
  "(?:ill|i will|i can|we will|well|we can) (?:call|give you a call|ring|phone|stop by|come by|swing by)",
  "(?:lets|let us|can we|could we|we can|we could|wanna|want to|would like to|id like to|like to|happy to|love to) (?:talk|chat|speak|meet|connect|set (?:up|something)|schedule|book|get together|hop on|jump on|see (?:it|the|a|them|this)|tour|view|visit|come (?:by|see|look))",
  `(?:talk|chat|speak|meet) (?:tomorrow|today|tonight|later|this|next|on|at|in person|over the phone|by phone|on the phone|sometime|${WEEKDAY})`,
  "(?:schedule|book|set up|arrange|reschedule|confirm|lock in) (?:a|an|the|my|me|us|it|time|something|that|for|call|meeting|showing|tour|visit|appointment|consultation|viewing|walkthrough|walk through|inspection|demo|site visit)",
  "(?:come|swing|drop|pop|stop|stopping|coming|head|run) (?:by|over|out|in|on by)",
  "(?:see|view|tour) (?:it|them|the (?:house|place|home|property|unit|apartment|condo|listing|space|room|office|lot)|this (?:place|house|home|property|one)|that (?:place|house|home|property|one))",
  "(?:look at|check out) (?:the|this|that) (?:house|place|home|property|unit|apartment|condo|space|lot)",
  "when can (?:you|we|i|someone|somebody)",
  "what time (?:works|is good|are you|can|would|should|do you have)",
  "what (?:days|times|day) (?:work|works|are|do you)",
  "(?:are) (?:you) (?:free|available|around|open)",
  `(?:im|i am|were|we are|ill be|i will be|we will be) (?:free|available|around|home) (?:on|at|after|before|any|all|${TIME_WORD})`,
  "see you (?:then|tomorrow|on|at|soon)",
  "llamame",
  "llameme",
  "llamenme",
  "marcame",
  "me (?:pueden|puede|puedes) llamar",
  "(?:pueden|puede|puedes|podrian|podria|podemos) (?:venir|pasar|visitar|vernos|reunirnos)",
  "cita",
  "agendar",
  "nos vemos",
  "(?:podemos|quiero|quisiera|queremos) (?:hablar|vernos|reunirnos|ver la|ver el|verla|verlo|agendar)",
);
/** A meeting named by its noun alone: "a showing", "the consultation". Checked apart, see findBooking. */
const BOOKING_NOUN = phrases(
  "(?:appointment|appt|showing|tour|viewing|walkthrough|walk through|consultation|demo|site visit|open house|in person|meet up|meetup|test drive)",
);
/** A question about the service that names a meeting in passing: "how long is the wait for a consultation?" */
const ASKS_ABOUT = /^(?:how (?:long|much|many|far|often)|what|whats|which|why|where|is|are|does|do|did)(?= )/;
const TIME_PROPOSAL = new RegExp(`(?<=^| )${TIME_WORD}(?= |$)`, "g");
const TIME_CUE = new RegExp(
  `(?<=^| )(?:works|work for|would work|is good|is fine|good for|free|available|how about|what about|lets|can we|could we|ok for|fine for|perfect|see you|good with|(?:at|around|after|before) \\d{1,2}(?::\\d{2})?(?: ?(?:am|pm))?${NOT_A_UNIT}|funciona|podemos|esta bien|me sirve|me queda bien|a las \\d{1,2})(?= |$)`,
);
/** With only a "?" to go on, the rest must be about meeting: "Thursday at 2?", "can you do the 28th?" */
const MEETING_WORD =
  /^(?:venir|pasar|vernos|visitar|make|meet|work|works|free|available|good|better|ok|fine|come|see|tour|call|talk|chat|visit|swing|pop|drop|instead|then|reschedule|move|push|switch|open)$/;
/** Words that do not make "Thursday at 2" more than a time proposal. */
const TIME_FILLER =
  /^(?:at|on|around|about|after|before|or|and|the|ok|sure|yes|maybe|how|this|next|is|in|a|las|el)$/;

function findBooking(text: string): string | undefined {
  const tokens = text.split(" ");
  const phrase = firstMatch(BOOKING, text, (at) => {
    const index = tokenIndexAt(text, at);
    const before = tokensBefore(tokens, index, 3);
    // "don't call me before 9", "why did you call me": not asking for a call.
    return before.some((word) => NEGATORS.has(word) || word === "why" || word === "who" || word === "did");
  });
  if (phrase !== undefined) return phrase;
  const noun = firstMatch(BOOKING_NOUN, text, (at, found) => {
    const clauseStart = tokensBefore(tokens, tokenIndexAt(text, at), 20).reverse();
    const after = tokensAfter(tokens, tokenIndexAt(text, at) + found.split(" ").length - 1, 1)[0] ?? "";
    // "thanks for the demo recording", "how long is the wait for a consultation", "the showing fee".
    return (
      ASKS_ABOUT.test(clauseStart.join(" ")) ||
      /^(?:thanks|thank)$/.test(clauseStart[0] ?? "") ||
      /^(?:recording|recordings|notes|slides|link|video|summary|feedback|fee|fees|cost|costs|price|policy)$/.test(
        after,
      )
    );
  });
  if (noun !== undefined) return noun;
  // "the 9am class", "my 3rd kid": a time naming something else, not a time to meet.
  const time = firstMatch(TIME_PROPOSAL, text, (at, found) => {
    const index = tokenIndexAt(text, at);
    const before = tokens[index - 1] ?? "";
    const after = tokens[index + found.split(" ").length] ?? "";
    return (
      DETERMINERS.has(before) &&
      /^[a-z]+$/.test(after) &&
      !TIME_FILLER.test(after) &&
      !MEETING_WORD.test(after) &&
      !/^(?:slot|spot|appointment|appt|time|one|showing|meeting|call|tour|visit|then|instead)$/.test(after)
    );
  });
  if (time === undefined) return undefined;
  const words = tokens.filter((token) => !PUNCTUATION.has(token));
  const rest = text
    .replace(TIME_PROPOSAL, " ")
    .split(" ")
    .filter((word) => word !== "" && !PUNCTUATION.has(word));
  const filler = (word: string) => TIME_FILLER.test(word) || /^\d/.test(word);
  if (
    TIME_CUE.test(text) ||
    (text.includes("?") &&
      (rest.every((word) => filler(word) || /^(?:can|could|you|we|i|do)$/.test(word)) ||
        rest.some((word) => MEETING_WORD.test(word)) ||
        /(?<=^| )(?:can|could|would) (?:you|we|i) do(?= )/.test(text))) ||
    (words.length <= 6 && rest.every(filler))
  )
    return time;
  return undefined;
}

// --- question ---

const QUESTION = clauseOpening(
  "(?:who|whos|what|whats|where|wheres|which|whose|how|hows|whom)(?: (?:is|are|was|does|do|did|can|this|the|it|you|dis|about))?(?: (?:this|it|you|the|that|cost|price|dis))?",
  "(?:when|why) (?:is|are|can|do|does|did|will|would|should|was|were)",
  "(?:do|does|did|is|are|can|could|would|will|should|have|has|was|were|may|might) (?:you|it|they|this|that|there|i|we|the|your|he|she|any)",
  "any (?:chance|availability|openings|update|news)",
  "(?:is|are|was|were|does|did) \\w+ \\w+",
  "cuanto",
  "cuanta",
  "que (?:es|son|tipo|incluye|precio)",
  "como (?:funciona|es|se)",
  "donde",
  "cuando",
  "quien (?:es|eres|habla)",
  "hay",
  "tienen",
);
const QUESTION_ANYWHERE = phrases(
  "how (?:much|many|long|soon|far|big|does|do|is)",
  "(?:i was |just |im )?wondering",
  "curious (?:about|if|what|how|whether)",
  "(?:id|i would) like to know",
  "(?:want|wanted) to know",
  "let me know (?:if|what|how|when|where|whether)",
  "can you (?:send|tell|explain|share|give)",
  "tell me (?:how|what|where|when|why|if|whether)",
  "cuanto cuesta",
  "precio",
);
const PRICE_ALONE =
  /^(?:(?:the |your )?(?:price|pricing|cost|costs|rates?|fees?|quote)(?: \?| please| pls)?)$/;

function findQuestion(text: string, raw: string): string | undefined {
  const asked =
    firstMatch(QUESTION_ANYWHERE, text) ??
    firstMatch(QUESTION, text, (at, found) => {
      if (text.includes("?")) return false;
      // "we're ready" is normalised to "were ready"; "what a weekend" exclaims.
      if (
        found.startsWith("were ") &&
        !/^were (?:you|they|there|we|those|these|the|any|all|yall)(?: |$)/.test(found)
      )
        return true;
      return found === "what" && /^ (?:a|an) /.test(text.slice(at + found.length));
    });
  if (asked !== undefined) return asked;
  if (PRICE_ALONE.test(text)) return text;
  // A lone "?" is puzzlement, not a question about anything.
  if ((text.includes("?") || raw.includes("¿")) && text !== "?") {
    const tokens = text.split(" ");
    const mark = tokens.indexOf("?");
    const clause = tokensBefore(tokens, mark >= 0 ? mark : tokens.length, 6)
      .reverse()
      .join(" ");
    return clause === "" ? "?" : `${clause}?`;
  }
  return undefined;
}

// --- interested ---

const INTERESTED = phrases(
  "(?:dont|do not|never|please dont) stop (?:texting|messaging|emailing|calling|contacting|reaching out|sending)",
  "(?:still |very |really |definitely |def |so |super |am |im |i am |we are |were |quite |extremely |most )?interested",
  "(?:yes|yeah|yea|yep|yup|yah|ye|sure|absolutely|definitely|certainly|of course|ofc|please do|go ahead|for sure|sure thing|you bet|indeed|claro|dale|por supuesto)",
  "sounds (?:good|great|perfect|interesting|nice|awesome|amazing|like a plan|fine|cool|ok|lovely|wonderful)",
  "tell me more",
  "(?:that|thatd|that would|it would|itd|would|that will|thatll) be (?:great|awesome|perfect|nice|amazing|wonderful|helpful|fantastic|lovely|ideal)",
  "(?:more|some) (?:info|information|details)",
  "send (?:me |us |it |over |them )?(?:over )?(?:the |some |more |any )?(?:info|information|details|listing|listings|pictures|photos|pics|brochure|link|options|quote|contract|paperwork|application|forms?|documents|docs|agreement|floor plans?|plans|specs|pricing|price list)",
  "(?:looks|look|looking) (?:great|good|perfect|awesome|amazing|interesting|promising)",
  "(?:id|i would|we would|wed) (?:like|love)",
  "(?:i|we) (?:still |really |do )?want",
  "(?:want|wanna|would like|like) to (?:switch|buy|sell|move|get|start|sign up|proceed|go ahead|learn|know more|hear more|try|do it|list)",
  "(?:lets|let us) (?:do it|go|proceed|move forward|get started|start)",
  "count (?:me|us) in",
  "(?:im|were) (?:in|down)",
  "(?:down|up) for it",
  "on board",
  "love (?:to|it|that|this)",
  "(?:still|actively|currently|definitely|yes)(?: very much| really| definitely)? (?:looking|searching|shopping|in the market)",
  "looking for",
  "(?:im|were|i am|we are) ready",
  "ready to (?:buy|sell|move|go|start|proceed|replace|install|sign|order|purchase|book|upgrade|commit|get started|begin|list|refinance|switch|hire|apply|close|lease|rent)",
  // "we want to move ahead", "let's proceed with the quote", "keep them coming".
  "(?:move|moving|go|going) (?:forward|ahead)",
  "proceed with",
  "keep (?:them|em|it|those|these|the \\w+) coming",
  "still (?:want|need|like|love) (?:it|the|this|that|one|a|an|to)",
  "(?:hoping|planning|plan|hope|aiming|intend|intending) to (?:buy|sell|move|list|refinance|purchase|rent|lease|switch|upgrade|install|replace)",
  "sign (?:me|us) up",
  "switch (?:over|to (?:you|your))",
  "and switch",
  "me interesa",
  "me encanta(?:n|ria)?",
  "(?:quiero|queremos|quisiera|me gustaria) (?:mas )?(?:informacion|info|saber|comprar|vender)",
  "me gustaria",
  "cuenten conmigo",
);

function findInterested(text: string): string | undefined {
  const tokens = text.split(" ");
  // "not sure" is not "sure", and "I don't want" is not "I want".
  const phrase =
    firstMatch(KEEP_GOING, text) ??
    firstMatch(INTERESTED, text, (at) =>
      tokensBefore(tokens, tokenIndexAt(text, at), 2).some((word) => NEGATORS.has(word)),
    );
  if (phrase !== undefined) return phrase;
  // Spanish "si" is also "if", and "ya" also "already": only on their own do they say yes.
  if (/^(?:ya|yah|ye|y)(?: [.!]|$)/.test(text)) return text.split(" ")[0];
  return /^si(?: |$)/.test(text) ? "si" : undefined;
}

/** Going ahead, which outweighs a practical question asked with it ("…move ahead, can you send the form?"). */
const COMMITMENT = phrases(
  "(?:move|moving|go|going) (?:forward|ahead)",
  "proceed with",
  "ready to (?:buy|sign|proceed|order|purchase|commit|get started|start|move forward|go ahead)",
  "sign (?:me|us) up",
  "(?:lets|let us) (?:do it|do this|proceed|move forward|go ahead|get started)",
  "count (?:me|us) in",
);

function findCommitment(text: string): string | undefined {
  const tokens = text.split(" ");
  return firstMatch(COMMITMENT, text, (at) =>
    tokensBefore(tokens, tokenIndexAt(text, at), 3).some(
      (word) => NEGATORS.has(word) || /^(?:if|whether|before|when)$/.test(word),
    ),
  );
}

// --- other, with a reason ---

/** "don't stop!" on its own asks us to carry on; "don't stop believing" does not. */
const KEEP_GOING = clauseEnding("(?:dont|do not|please dont|please do not) stop(?: please| now)?");

const DEFERRAL = phrases(
  "(?:talk|speak|check|discuss it) (?:to|with) (?:my|our) (?:wife|husband|partner|spouse|family|boss|team|hubby|girlfriend|boyfriend|parents|accountant)",
  "let me think",
  "think about it",
  "get back to you",
  "(?:ill|i will|will) let you know",
  "busy (?:right now|at the moment|now)",
  "(?:lo voy a pensar|dejame pensarlo|le aviso|te aviso)",
);
const ACKNOWLEDGEMENT = phrases(
  "thanks",
  "thank you",
  "ok",
  "got it",
  "noted",
  "cool",
  "great",
  "perfect",
  "awesome",
  "nice",
  "received",
  "gracias",
  "no problem",
  "no worries",
);

/** The lead's own message went astray: "sorry, that was meant for someone else", "wrong chat". */
const MISDIRECTED = phrases(
  "(?:sorry|oops|whoops|my bad|ignore that|disregard that|please ignore|please disregard)(?: ,)? (?:that|this|my|the last)(?: last)?(?: (?:message|text|reply|one))? (?:was |wasnt |was not )?(?:meant|supposed|intended|for)(?: to go)? (?:for|to)? ?(?:someone|somebody|my|a|another|the)",
  "(?:i|oops i|sorry i|i just|oops|sorry) (?:sent|texted|replied|messaged)(?: (?:that|this|it))? (?:to )?(?:the )?wrong (?:person|number|chat|thread|convo|conversation|contact|group)",
  "wrong (?:chat|thread|convo|conversation|window|group chat)",
);

const LATER_RULES: IntentRule[] = [
  {
    intent: "other",
    why: "said their own message went to the wrong place",
    find: (text) => firstMatch(MISDIRECTED, text),
  },
  { intent: "wrong_number", why: "said this is the wrong person or number", find: findWrongNumber },
  { intent: "not_interested", why: "declined", find: (text) => findNotInterested(text) },
  { intent: "booking", why: "wants a call or a meeting", find: (text) => findBooking(text) },
  { intent: "interested", why: "committed to going ahead", find: (text) => findCommitment(text) },
  { intent: "question", why: "asked a question", find: findQuestion },
  { intent: "interested", why: "said they are interested", find: (text) => findInterested(text) },
  { intent: "other", why: "put off deciding", find: (text) => firstMatch(DEFERRAL, text) },
  {
    intent: "other",
    why: "acknowledged without a request",
    find: (text) => firstMatch(ACKNOWLEDGEMENT, text),
  },
];
