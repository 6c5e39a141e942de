import { randomBytes } from "node:crypto";
import { z } from "zod";

const WHSEC = "whsec_";

/** A fresh Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return `${WHSEC}${randomBytes(32).toString("base64")}`;
}

/** Enough of a secret to tell which one is in use, never enough to sign with. */
export function secretPrefix(secret: string): string {
  return `${secret.slice(0, 10)}…`;
}

function isCanonicalBase64(text: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(text) && Buffer.from(text, "base64").toString("base64") === text;
}

/**
 * Why a caller-chosen secret is refused, or undefined when it is usable. A `whsec_` secret is
 * always read as base64 by the signer (signature.ts), so one that is not valid base64 of a
 * reasonable key length would produce signatures no Standard Webhooks receiver can verify: it is
 * refused rather than accepted as plain text.
 */
export function secretProblem(secret: string): string | undefined {
  if (secret.startsWith(WHSEC)) {
    const encoded = secret.slice(WHSEC.length);
    if (!isCanonicalBase64(encoded)) return "a whsec_ secret must be followed by base64";
    const bytes = Buffer.from(encoded, "base64").length;
    if (bytes < 24 || bytes > 64) return `a whsec_ secret must encode 24 to 64 bytes (this one has ${bytes})`;
    return undefined;
  }
  if (!/^[\x21-\x7e]{16,128}$/.test(secret)) {
    return "must be whsec_ + base64, or 16 to 128 printable ASCII characters without spaces";
  }
  return undefined;
}

export const secretSchema = z.string().superRefine((secret, ctx) => {
  const problem = secretProblem(secret);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});
