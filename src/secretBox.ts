import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** Seals secrets for storage (AES-256-GCM) and opens them where they are used. */
export interface SecretBox {
  /** The value to store: sealed when a key is configured, else the value itself. */
  seal(plain: string): string;
  /** The secret from a stored value; a value stored before encryption was turned on is returned as is. */
  reveal(stored: string): string;
}

const PREFIX = "enc:v1:";

/**
 * `key` is `SECRETS_KEY` (32 bytes). Without one, secrets are stored as given, as before. A stored
 * value is `enc:v1:<iv>.<ciphertext>.<tag>` (base64url): the tag makes a tampered or wrongly-keyed
 * value fail loudly instead of yielding garbage.
 */
export function createSecretBox(key: Buffer | undefined): SecretBox {
  return {
    seal(plain) {
      if (key === undefined) return plain;
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return `${PREFIX}${iv.toString("base64url")}.${sealed.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}`;
    },
    reveal(stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      if (key === undefined) throw new Error("a stored secret is encrypted but SECRETS_KEY is not set");
      const [iv, sealed, tag] = stored.slice(PREFIX.length).split(".");
      if (iv === undefined || sealed === undefined || tag === undefined)
        throw new Error("a stored secret is not in the enc:v1 format");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(sealed, "base64url")), decipher.final()]).toString(
        "utf8",
      );
    },
  };
}
