import type { AddressInfo } from "node:net";
import {
  SMTPServer,
  type SMTPServerDataStream,
  type SMTPServerError,
  type SMTPServerSession,
} from "smtp-server";

export interface SmtpEnvelope {
  mailFrom: string;
  rcptTo: string[];
}

export interface ReceivedEmail {
  /** The message exactly as received after DATA (dot-unstuffed). */
  raw: Buffer;
  envelope: SmtpEnvelope;
}

export interface SmtpFailure {
  code: number;
  message: string;
  /** Refuse the recipient (default) or the message after its body was received. */
  at?: "rcpt" | "data";
}

export interface SmtpServerOptions {
  /** Decides, per recipient (or per message with `at: "data"`), whether to answer with an error. */
  failWith?: (envelope: SmtpEnvelope) => SmtpFailure | undefined;
  /** Require AUTH PLAIN/LOGIN with these credentials (over plain TCP: tests only). */
  auth?: { user: string; pass: string };
  /**
   * What to do once a message body is in, when `failWith` has nothing to say: answer 250 (default),
   * close the connection without answering, or never answer.
   */
  afterData?: "accept" | "drop" | "hang";
  /** Close the connection without answering the first RCPT TO, so no message body is ever sent. */
  dropAtRcpt?: boolean;
}

/** A real SMTP server on loopback; every message whose body arrived completely is kept in `messages`. */
export interface TestSmtpServer {
  url: string;
  messages: ReceivedEmail[];
  close(): Promise<void>;
}

export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const messages: ReceivedEmail[] = [];
  const server: SMTPServer = new SMTPServer({
    secure: false,
    disabledCommands: options.auth === undefined ? ["STARTTLS", "AUTH"] : ["STARTTLS"],
    authOptional: options.auth === undefined,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const ok = auth.username === options.auth?.user && auth.password === options.auth?.pass;
      if (ok) callback(null, { user: auth.username });
      else callback(smtpError(535, "5.7.8 Authentication credentials invalid"));
    },
    onRcptTo(address, session, callback) {
      if (options.dropAtRcpt === true) return closeSession(server, session);
      const envelope = envelopeOf(session);
      envelope.rcptTo.push(address.address);
      const failure = options.failWith?.(envelope);
      if (failure !== undefined && failure.at !== "data") callback(smtpError(failure.code, failure.message));
      else callback();
    },
    onData(stream, session, callback) {
      void readAll(stream).then((raw) => {
        const envelope = envelopeOf(session);
        messages.push({ raw, envelope });
        const failure = options.failWith?.(envelope);
        if (failure?.at === "data") return callback(smtpError(failure.code, failure.message));
        if (options.afterData === "hang") return;
        if (options.afterData === "drop") return closeSession(server, session);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  const credentials =
    options.auth === undefined
      ? ""
      : `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@`;
  return {
    url: `smtp://${credentials}127.0.0.1:${port}`,
    messages,
    close: () => closeServer(server),
  };
}

function envelopeOf(session: SMTPServerSession): SmtpEnvelope {
  const { mailFrom, rcptTo } = session.envelope;
  return { mailFrom: mailFrom === false ? "" : mailFrom.address, rcptTo: rcptTo.map((r) => r.address) };
}

function smtpError(code: number, message: string): SMTPServerError {
  const error: SMTPServerError = new Error(message);
  error.responseCode = code;
  return error;
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function closeSession(server: SMTPServer, session: SMTPServerSession): void {
  for (const connection of server.connections) {
    if (connection.session.id === session.id) connection.close();
  }
}

/** Ends open sessions first: a pooled client (or a hung DATA) would otherwise hold close() for 30 s. */
function closeServer(server: SMTPServer): Promise<void> {
  for (const connection of server.connections) connection.close();
  return new Promise((resolve) => server.close(() => resolve()));
}
