import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import nodemailer, { type NodemailerError, type SendMailOptions } from "nodemailer";
import type { EmailMessage, EmailProvider, SendOutcome } from "../../domain/messages/providers.js";

export interface SmtpEmailOptions {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465 (implicit TLS). */
  smtpUrl: string;
  /** Default From, e.g. `"Acme Sales <sales@acme.example>"`. */
  from: string;
  /** Bounds connecting, the greeting and any silence on the socket (including the wait for the final reply). */
  timeoutMs: number;
}

export type SmtpEmailProvider = EmailProvider & { close(): void };

/** Whether the message bytes of one send have all been handed to the socket. */
interface SendProgress {
  payloadSent: boolean;
}

/**
 * Email over SMTP through one pooled nodemailer transport.
 *
 * Outcomes: a 5xx reply (except 503) is `rejected`, a 4xx/503 reply or a connection failure before
 * the message body went out is `retryable`, and losing the connection after the body went out is
 * `unknown`, since the server may have queued the message before the final reply was lost.
 */
export function createSmtpEmailProvider(options: SmtpEmailOptions): SmtpEmailProvider {
  const connection = parseSmtpUrl(options.smtpUrl);
  const transport = nodemailer.createTransport({
    ...connection,
    pool: true,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    dnsTimeout: options.timeoutMs,
    // nodemailer's logger could print the AUTH exchange; we classify and report errors ourselves.
    logger: false,
    debug: false,
  });
  const inFlight = new Map<string, SendProgress>();

  // nodemailer reports a dropped socket the same way whether or not the body was sent, so we watch
  // the message stream itself: once it has been read to the end, the body (and the terminating dot
  // right after it) went to the server and a lost reply no longer means "not delivered".
  transport.use("stream", (mail, done) => {
    const progress = inFlight.get(mail.message.messageId());
    if (progress !== undefined) {
      mail.message.processFunc((input: Readable) => {
        input.once("end", () => {
          progress.payloadSent = true;
        });
        return input;
      });
    }
    done();
  });

  const secrets = secretsOf(connection.auth);
  return {
    name: "smtp",
    async send(message: EmailMessage): Promise<SendOutcome> {
      const invalid =
        message.unsubscribeUrl === undefined ? undefined : checkUnsubscribeUrl(message.unsubscribeUrl);
      if (invalid !== undefined) return invalid;
      const from = message.from ?? options.from;
      // Minted here rather than by nodemailer so it is known before sending and can be returned.
      const messageId = `<${randomUUID()}@${domainOf(from)}>`;
      const progress: SendProgress = { payloadSent: false };
      inFlight.set(messageId, progress);
      try {
        await transport.sendMail(composeMail(message, from, messageId));
        return { kind: "accepted", providerMessageId: messageId };
      } catch (error) {
        return classifySmtpError(error, progress.payloadSent, secrets);
      } finally {
        inFlight.delete(messageId);
      }
    },
    close() {
      transport.close();
    },
  };
}

export interface SmtpConnection {
  host: string;
  port: number;
  /** Implicit TLS (smtps); plain smtp still upgrades with STARTTLS when the server offers it. */
  secure: boolean;
  auth?: { user: string; pass: string };
}

/** Parses the URL ourselves so credentials are percent-decoded and never echoed in an error. */
export function parseSmtpUrl(smtpUrl: string): SmtpConnection {
  const invalid = new Error("SMTP URL must look like smtp://user:pass@host:port or smtps://…");
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw invalid;
  }
  if ((url.protocol !== "smtp:" && url.protocol !== "smtps:") || url.hostname === "") throw invalid;
  const secure = url.protocol === "smtps:";
  const connection: SmtpConnection = {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? (secure ? 465 : 587) : Number(url.port),
    secure,
  };
  if (url.username === "" && url.password === "") return connection;
  try {
    return {
      ...connection,
      auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
    };
  } catch {
    throw invalid;
  }
}

function composeMail(message: EmailMessage, from: string, messageId: string): SendMailOptions {
  if (message.unsubscribeUrl === undefined)
    return {
      from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      replyTo: message.replyTo,
      messageId,
    };
  return {
    from,
    to: message.to,
    subject: message.subject,
    text: `${message.text}\n\n--\nUnsubscribe: ${message.unsubscribeUrl}`,
    replyTo: message.replyTo,
    messageId,
    // Set directly: nodemailer's `list` option has no way to emit List-Unsubscribe-Post (RFC 8058).
    headers: {
      "List-Unsubscribe": `<${message.unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}

/** The URL lands raw in a header between angle brackets, so anything that could break out of them is refused. */
function checkUnsubscribeUrl(url: string): SendOutcome | undefined {
  if (/^https?:\/\/[^\s<>"]+$/.test(url)) return undefined;
  return {
    kind: "rejected",
    code: "INVALID_UNSUBSCRIBE_URL",
    message: "unsubscribe URL must be an http(s) URL without spaces or angle brackets",
    optedOut: false,
  };
}

function domainOf(from: string): string {
  const match = /@([^\s<>@]+?)>?\s*$/.exec(from);
  return match?.[1] ?? "leadwire.invalid";
}

/** Errors nodemailer raises about the message itself, before any server saw it. */
const MESSAGE_ERRORS = new Set(["EENVELOPE", "EMESSAGE", "EMAXRECIPIENTS"]);
/** Credential problems are the operator's to fix; the message itself is fine once they are. */
const AUTH_ERRORS = new Set(["EAUTH", "ENOAUTH"]);

export function classifySmtpError(error: unknown, payloadSent: boolean, secrets: string[] = []): SendOutcome {
  const err = asNodemailerError(error);
  const message = redact(err.message, secrets);
  const replyCode = err.responseCode;
  if (AUTH_ERRORS.has(err.code ?? "")) {
    return { kind: "retryable", code: replyCode === undefined ? "EAUTH" : String(replyCode), message };
  }
  if (replyCode !== undefined) {
    // The server answered, so we know where the message stands whatever stage we were at.
    // 503 (bad sequence) is a session problem, not a verdict on the message.
    if (replyCode >= 500 && replyCode !== 503) {
      return { kind: "rejected", code: String(replyCode), message, optedOut: false };
    }
    return { kind: "retryable", code: String(replyCode), message };
  }
  if (MESSAGE_ERRORS.has(err.code ?? "")) {
    return { kind: "rejected", code: err.code ?? "EMESSAGE", message, optedOut: false };
  }
  if (payloadSent) {
    return { kind: "unknown", message: `no final reply after the message was sent: ${message}` };
  }
  return { kind: "retryable", code: err.originalCode ?? err.code ?? "SMTP_ERROR", message };
}

function asNodemailerError(error: unknown): NodemailerError {
  return error instanceof Error ? error : new Error(String(error));
}

/** nodemailer keeps credentials out of its errors; this is a second line in case a server echoes them. */
function secretsOf(auth: { pass: string } | undefined): string[] {
  if (auth === undefined || auth.pass === "") return [];
  return [auth.pass, encodeURIComponent(auth.pass)];
}

function redact(text: string, secrets: string[]): string {
  return secrets.reduce((result, secret) => result.split(secret).join("***"), text);
}
