import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSecretBox } from "./secretBox.js";

describe("the secret box", () => {
  const key = randomBytes(32);

  it("seals so the stored value does not contain the secret, and reveals it back", () => {
    const box = createSecretBox(key);
    const stored = box.seal("tok-ü-🔑");
    expect(stored).toMatch(/^enc:v1:[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(stored).not.toContain("tok");
    expect(box.reveal(stored)).toBe("tok-ü-🔑");
    // A fresh IV each time: the same secret never gives the same stored value.
    expect(box.seal("tok-ü-🔑")).not.toBe(stored);
  });

  it("returns values stored before encryption was on as they are", () => {
    expect(createSecretBox(key).reveal("plain-old-token")).toBe("plain-old-token");
  });

  it("stores as given without a key, and refuses to guess an encrypted value without one", () => {
    const none = createSecretBox(undefined);
    expect(none.seal("x")).toBe("x");
    expect(() => none.reveal(createSecretBox(key).seal("x"))).toThrow(/SECRETS_KEY is not set/);
  });

  it("fails loudly on a tampered value or the wrong key", () => {
    const stored = createSecretBox(key).seal("secret");
    expect(() => createSecretBox(randomBytes(32)).reveal(stored)).toThrow();
    const [iv, sealed, tag] = stored.slice("enc:v1:".length).split(".") as [string, string, string];
    const flipped = Buffer.from(sealed, "base64url");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() =>
      createSecretBox(key).reveal(`enc:v1:${iv}.${flipped.toString("base64url")}.${tag}`),
    ).toThrow();
  });
});
