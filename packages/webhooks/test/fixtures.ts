// Secrets, an event and a body for the tests of the package and for
// src/webhooks/serverSignatures.test.ts, which checks the package against the server's signer.

export const nowSeconds = () => Math.floor(Date.now() / 1000);
export const SECRET = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;
export const OLD_SECRET = `whsec_${Buffer.from("the previous secret, 32 bytes!!!").toString("base64")}`;
export const PLAIN_SECRET = "a plain shared secret";
export const EVENT_ID = "0190a1b2c3d47e8f9a0b1c2d3e4f5a6b";
export const BODY =
  '{"event":"message.sent","data":{"leadId":"c4f23a1b","phone":"+12025550189","channel":"sms","profile":"Default Profile","isFollowUp":false,"followUpStep":null,"content":{"text":"Hi!"}},"timestamp":"2024-01-15T14:30:00Z"}';
export const UNICODE_BODY = JSON.stringify({
  event: "message.received",
  data: { text: "Ça va? 👋🏽 你好，世界 🇯🇵" },
});

/** The signature headers of one delivery, as Leadwire sends them. */
export type SignedHeaders = {
  "x-signature-sha256": string;
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/** The delivery stripped to its X-Signature-SHA256 header, as a legacy-only sender would send it. */
export function legacyOnly(headers: SignedHeaders): Record<string, string> {
  return { "x-signature-sha256": headers["x-signature-sha256"] };
}
