import { describe, expect, it } from "vitest";
import { parseBounceReport, parseInboundEmail, stripQuotedHistory } from "./parseInboundEmail.js";

const mime = (...lines: string[]): string => lines.join("\r\n");

/** A Gmail-style plain text reply: quoted-printable UTF-8, attribution wrapped over two lines. */
const PLAIN_REPLY = mime(
  "Return-Path: <jane.doe@example.com>",
  'From: "Doe, Jane" <Jane.Doe@Example.COM>',
  "To: Leadwire Replies <reply+msg_01JZ8Q@inbound.leads.example.com>, sales@leads.example.com",
  "Subject: =?UTF-8?Q?Re=3A_Suivi=3A_votre_int=C3=A9r=C3=AAt_=F0=9F=9A=80?=",
  "Date: Tue, 4 Mar 2025 09:12:44 +0100",
  "Message-ID: <CAF=abc123@mail.gmail.com>",
  "In-Reply-To: <0b6c1f9e-6a57-4b53-9d0e-2f1d6a4b7c11@leads.example.com>",
  "References: <0b6c1f9e-6a57-4b53-9d0e-2f1d6a4b7c11@leads.example.com>",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=UTF-8",
  "Content-Transfer-Encoding: quoted-printable",
  "",
  "Oui, mardi me va tr=C3=A8s bien =F0=9F=91=8D",
  "",
  "Jane",
  "",
  "On Mon, Mar 3, 2025 at 10:00 AM Leadwire Sales <",
  "sales@leads.example.com> wrote:",
  "",
  "> Bonjour Jane, merci pour votre int=C3=A9r=C3=AAt !",
  ">",
  "> --",
  "> Unsubscribe: https://leads.example.com/u/tok_123",
  "",
);

/** An HTML-only reply (no text/plain alternative), as some webmail clients send. */
const HTML_ONLY_REPLY = mime(
  "From: Kenji <kenji@example.jp>",
  "To: reply+msg_02@inbound.leads.example.com",
  "Subject: =?UTF-8?B?UmU6IOadseS6rA==?=",
  "In-Reply-To: <msg-2@leads.example.com>",
  "MIME-Version: 1.0",
  "Content-Type: text/html; charset=UTF-8",
  "Content-Transfer-Encoding: 8bit",
  "",
  '<html><body><div dir="ltr"><p>Yes, <b>Tuesday</b> works for me. 東京で会いましょう。</p>',
  "<p>Call me at 555-0100.</p></div>",
  '<div class="gmail_quote"><div>On Mon, Mar 3, 2025 at 10:00 AM Sales &lt;sales@leads.example.com&gt; wrote:<br></div>',
  '<blockquote class="gmail_quote"><p>Are you free this week?</p></blockquote></div></body></html>',
  "",
);

/** A Postfix bounce: RFC 3464 delivery status notification. */
const DSN_BOUNCE = mime(
  "Return-Path: <>",
  "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)",
  "To: bounces@leads.example.com",
  "Subject: Undelivered Mail Returned to Sender",
  "Auto-Submitted: auto-replied",
  "MIME-Version: 1.0",
  "Content-Type: multipart/report; report-type=delivery-status;",
  '\tboundary="8F1C2A0C3D.1741000000/mx.example.net"',
  "",
  "This is a MIME-encapsulated message.",
  "",
  "--8F1C2A0C3D.1741000000/mx.example.net",
  "Content-Description: Notification",
  "Content-Type: text/plain; charset=us-ascii",
  "",
  "This is the mail system at host mx.example.net.",
  "",
  "I'm sorry to have to inform you that your message could not",
  "be delivered to one or more recipients.",
  "",
  "<Gone.Lead@example.net>: host mx.example.net said: 550 5.1.1 User unknown",
  "",
  "--8F1C2A0C3D.1741000000/mx.example.net",
  "Content-Description: Delivery report",
  "Content-Type: message/delivery-status",
  "",
  "Reporting-MTA: dns; mx.example.net",
  "X-Postfix-Queue-ID: 8F1C2A0C3D",
  "Arrival-Date: Mon,  3 Mar 2025 10:00:01 +0000 (UTC)",
  "",
  "Final-Recipient: rfc822; Gone.Lead@example.net",
  "Original-Recipient: rfc822;gone.lead@example.net",
  "Action: failed",
  "Status: 5.1.1",
  "Remote-MTA: dns; mx.example.net",
  "Diagnostic-Code: smtp; 550 5.1.1 <gone.lead@example.net>: Recipient address",
  "    rejected: User unknown in virtual mailbox table",
  "",
  "--8F1C2A0C3D.1741000000/mx.example.net",
  "Content-Description: Undelivered Message Headers",
  "Content-Type: text/rfc822-headers",
  "",
  "From: Leadwire Sales <sales@leads.example.com>",
  "To: gone.lead@example.net",
  "Subject: Suivi",
  "Message-ID: <0b6c1f9e@leads.example.com>",
  "",
  "--8F1C2A0C3D.1741000000/mx.example.net--",
  "",
);

function arfComplaint(feedbackFields: string[]): string {
  return mime(
    "From: <feedback@fbl.mailbox.example>",
    "To: <abuse@leads.example.com>",
    "Subject: FW: Suivi",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=feedback-report; boundary="part1_13d.2e68ed54_boundary"',
    "",
    "--part1_13d.2e68ed54_boundary",
    "Content-Type: text/plain; charset=US-ASCII",
    "Content-Transfer-Encoding: 7bit",
    "",
    "This is an email abuse report for an email message received from IP",
    "192.0.2.1 on Mon, 3 Mar 2025 10:00:00 +0000.",
    "",
    "--part1_13d.2e68ed54_boundary",
    "Content-Type: message/feedback-report",
    "",
    ...feedbackFields,
    "",
    "--part1_13d.2e68ed54_boundary",
    "Content-Type: message/rfc822",
    "Content-Disposition: inline",
    "",
    "From: Leadwire Sales <sales@leads.example.com>",
    'To: "Annoyed Lead" <Annoyed.Lead@Example.org>',
    "Subject: Suivi",
    "Message-ID: <8f2d@leads.example.com>",
    "",
    "Bonjour !",
    "",
    "--part1_13d.2e68ed54_boundary--",
    "",
  );
}

describe("parseInboundEmail", () => {
  it("reads a plain text reply and strips the quoted history", async () => {
    const email = await parseInboundEmail(Buffer.from(PLAIN_REPLY, "utf8"));

    expect(email).toEqual({
      from: "jane.doe@example.com",
      to: ["reply+msg_01JZ8Q@inbound.leads.example.com", "sales@leads.example.com"],
      subject: "Re: Suivi: votre intérêt 🚀",
      text: "Oui, mardi me va très bien 👍\n\nJane",
      inReplyTo: "<0b6c1f9e-6a57-4b53-9d0e-2f1d6a4b7c11@leads.example.com>",
    });
  });

  it("converts an HTML-only reply to text and drops the quoted blockquote", async () => {
    const email = await parseInboundEmail(HTML_ONLY_REPLY);

    expect(email.from).toBe("kenji@example.jp");
    expect(email.subject).toBe("Re: 東京");
    expect(email.inReplyTo).toBe("<msg-2@leads.example.com>");
    expect(email.text).toBe("Yes, Tuesday works for me. 東京で会いましょう。\n\nCall me at 555-0100.");
  });

  it("tolerates a message without From, To or body", async () => {
    const email = await parseInboundEmail(mime("Subject: empty", "", ""));

    expect(email).toEqual({ from: "", to: [], subject: "empty", text: "" });
  });
});

describe("stripQuotedHistory", () => {
  it("drops a trailing block of quoted lines", () => {
    expect(stripQuotedHistory("Sounds good.\n\n> Are you free?\n>\n> Thanks\n")).toBe("Sounds good.");
  });

  it("keeps inline answers between quotes, dropping only the trailing quotes", () => {
    const text = "> Are you free Tuesday?\nYes.\n> And Wednesday?\nNo.\n\n> Thanks\n";
    expect(stripQuotedHistory(text)).toBe("> Are you free Tuesday?\nYes.\n> And Wednesday?\nNo.");
  });

  it("keeps an 'On … wrote:' line that is not followed by quotes", () => {
    const text = "On Monday I wrote: call me back.\nThanks";
    expect(stripQuotedHistory(text)).toBe(text);
  });

  it("keeps the whole text when it is nothing but quotes", () => {
    expect(stripQuotedHistory("> only a quote\n")).toBe("> only a quote");
  });
});

describe("parseBounceReport", () => {
  it("reads a failed recipient from an RFC 3464 delivery status notification", async () => {
    await expect(parseBounceReport(DSN_BOUNCE)).resolves.toEqual({
      kind: "bounce",
      recipient: "gone.lead@example.net",
    });
  });

  it("ignores a delayed (not failed) delivery", async () => {
    const delayed = DSN_BOUNCE.replace("Action: failed", "Action: delayed").replace(
      "Status: 5.1.1",
      "Status: 4.4.1",
    );
    await expect(parseBounceReport(delayed)).resolves.toBeUndefined();
  });

  it("reads Original-Rcpt-To from an RFC 5965 ARF complaint", async () => {
    const raw = arfComplaint([
      "Feedback-Type: abuse",
      "User-Agent: SomeMailbox-FBL/1.0",
      "Version: 1",
      "Original-Mail-From: <bounces@leads.example.com>",
      "Original-Rcpt-To: <Complainer@Example.org>",
      "Arrival-Date: Mon, 3 Mar 2025 10:00:00 +0000",
      "Source-IP: 192.0.2.1",
    ]);
    await expect(parseBounceReport(raw)).resolves.toEqual({
      kind: "complaint",
      recipient: "complainer@example.org",
    });
  });

  it("falls back to the reported message's To when Original-Rcpt-To is missing", async () => {
    const raw = arfComplaint(["Feedback-Type: abuse", "User-Agent: SomeMailbox-FBL/1.0", "Version: 1"]);
    await expect(parseBounceReport(raw)).resolves.toEqual({
      kind: "complaint",
      recipient: "annoyed.lead@example.org",
    });
  });

  it("does not count a not-spam report as a complaint", async () => {
    const raw = arfComplaint(["Feedback-Type: not-spam", "User-Agent: X/1", "Version: 1"]);
    await expect(parseBounceReport(raw)).resolves.toBeUndefined();
  });

  it("gives undefined for an ordinary reply", async () => {
    await expect(parseBounceReport(PLAIN_REPLY)).resolves.toBeUndefined();
  });
});
