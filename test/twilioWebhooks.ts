import { randomBytes } from "node:crypto";
import { twilioSignature } from "../src/providers/sms/twilioSignature.js";
import type { TestApp } from "./harness.js";

export interface TwilioAnswer {
  status: number;
  body: string;
}

/** POSTs a form to one of our Twilio webhooks, signed with `token` as Twilio signs it for `publicUrl`. */
export async function postSignedTwilio(
  t: TestApp,
  publicUrl: string,
  path: string,
  params: Record<string, string>,
  token: string,
): Promise<TwilioAnswer> {
  const response = await t.app.http.inject({
    method: "POST",
    url: path,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilioSignature(`${publicUrl}${path}`, params, token),
    },
    payload: new URLSearchParams(params).toString(),
  });
  return { status: response.statusCode, body: response.body };
}

/** A MessageSid as Twilio mints them (SM + 32 hex digits). */
export function messageSid(): string {
  return `SM${randomBytes(16).toString("hex")}`;
}

/** A fake but well-formed Twilio account SID or auth token. */
export function accountSid(): string {
  return `AC${randomBytes(16).toString("hex")}`;
}
