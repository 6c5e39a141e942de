/** Twilio refuses longer bodies; we refuse them first, with a clearer error. */
export const MAX_SMS_CHARACTERS = 1600;

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface SmsSegments {
  encoding: SmsEncoding;
  segments: number;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
}

/** The GSM 03.38 default alphabet (one septet each); \x1B is the escape, not a character. */
const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
/** The extension table: escape + character, so two septets each. */
const GSM_EXTENSION = new Set("\f^{}\\[~]|€");

/** A part's capacity shrinks when the message is split: the rest carries the concatenation header. */
const CAPACITY: Record<SmsEncoding, { single: number; part: number }> = {
  "GSM-7": { single: 160, part: 153 },
  "UCS-2": { single: 70, part: 67 },
};

function gsmSeptets(character: string): number | undefined {
  if (GSM_BASIC.has(character)) return 1;
  if (GSM_EXTENSION.has(character)) return 2;
  return undefined;
}

/** The size of each character in the chosen encoding; code points, so a surrogate pair stays whole. */
function characterSizes(text: string): { encoding: SmsEncoding; sizes: number[] } {
  const characters = [...text];
  const septets = characters.map(gsmSeptets);
  if (septets.every((size): size is number => size !== undefined))
    return { encoding: "GSM-7", sizes: septets };
  return { encoding: "UCS-2", sizes: characters.map((character) => character.length) };
}

/** Parts needed when no character may straddle two parts (an escape pair or a surrogate pair would break). */
function partsNeeded(sizes: number[], capacity: number): number {
  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > capacity) {
      parts++;
      used = 0;
    }
    used += size;
  }
  return parts;
}

/** How the provider will send the text: its encoding and the number of billed segments. */
export function smsSegments(text: string): SmsSegments {
  const { encoding, sizes } = characterSizes(text);
  const units = sizes.reduce((sum, size) => sum + size, 0);
  const capacity = CAPACITY[encoding];
  // An empty body still goes out as one message.
  const segments = units <= capacity.single ? 1 : partsNeeded(sizes, capacity.part);
  return { encoding, segments, units };
}

/** Over the limit, counted in characters (code points): an emoji is one character, not two. */
export function smsTooLong(text: string): boolean {
  return [...text].length > MAX_SMS_CHARACTERS;
}
