/**
 * What the trained stop reader sees of a message: its words, word pairs and 3- to 5-letter pieces
 * of the normalised text. Letter pieces let it recognise a stop request it was never shown in
 * those exact words ("stahp", "unsubscibe", "no me escriban") from the pieces it shares with ones
 * it was. Training (scripts/trainStopReader.mjs) and reading use this one function, so the two
 * can never see a message differently.
 */
export function stopFeatures(text: string): string[] {
  const plain = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, " url ")
    .replace(/\d+/g, "0");
  const words = (plain.match(/[\p{L}0]+(?:'\p{L}+)?/gu) ?? []).map((word) => word.replace(/'/g, ""));
  const features = new Set<string>();
  for (const word of words) features.add(`w:${word}`);
  for (let i = 0; i + 1 < words.length; i++) features.add(`b:${words[i]} ${words[i + 1]}`);
  const spaced = ` ${words.join(" ")} `;
  for (let n = 3; n <= 5; n++) {
    for (let i = 0; i + n <= spaced.length; i++) features.add(`c:${spaced.slice(i, i + n)}`);
  }
  return [...features];
}

export type Triple = [number, number, number];

/** Each message's pieces count 1/sqrt(pieces): unscaled, a two-word "hello?" read as a stop at 0.998. */
export function pieceScale(pieces: number): number {
  return 1 / Math.sqrt(Math.max(1, pieces));
}

export function softmax(z: Triple): Triple {
  const top = Math.max(...z);
  const [a, b, c] = z.map((v) => Math.exp(v - top));
  const sum = (a ?? 0) + (b ?? 0) + (c ?? 0);
  return [(a ?? 0) / sum, (b ?? 0) / sum, (c ?? 0) / sum];
}
