import { errors, request } from "undici";
import type {
  ComplianceChecker,
  ComplianceRequest,
  ComplianceVerdict,
} from "../../domain/messages/complianceCheck.js";
import { createWebhookAgent, forbiddenLiteralHost } from "../http/webhookAgent.js";

export interface HttpComplianceCheckerOptions {
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: the operator's URL obeys the same SSRF rules as webhooks. */
  allowPrivateTargets: boolean;
  userAgent: string;
}

/** A verdict is a few bytes; a huge answer is not a verdict and must not cost memory or time. */
const MAX_READ_BYTES = 64 * 1024;
/**
 * The agent's own timeouts are only a ceiling (the settings allow up to 30 s); each check's
 * timeout is applied per request, since orgs choose their own.
 */
const AGENT_CEILING_MS = 30_000;
/** Reasons end up on the lead's timeline; a service's essay (or an echoed page) must not. */
const MAX_REASON_CHARS = 500;
const DEFAULT_DENY_REASON = "denied by the compliance service";

class AnswerTooLargeError extends Error {}

function capped(text: string): string {
  return text.length <= MAX_REASON_CHARS ? text : `${text.slice(0, MAX_REASON_CHARS - 1)}…`;
}

function unreachable(reason: string): ComplianceVerdict {
  return { decision: "unreachable", reason: capped(reason) };
}

function body(req: ComplianceRequest): string {
  // Spelled out field by field so that whatever else a caller's object carries is never sent out.
  return JSON.stringify({
    orgId: req.orgId,
    messageId: req.messageId,
    channel: req.channel,
    lead: {
      id: req.lead.id,
      phone: req.lead.phone,
      email: req.lead.email,
      externalLeadId: req.lead.externalLeadId,
      timeZone: req.lead.timeZone,
    },
    message: { text: req.message.text, subject: req.message.subject },
  });
}

async function readCapped(stream: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > MAX_READ_BYTES) {
      stream.destroy();
      throw new AnswerTooLargeError(`answer larger than ${MAX_READ_BYTES} bytes`);
    }
  }
  return Buffer.concat(chunks).toString("utf8");
}

function denyReason(json: Record<string, unknown>): string {
  const reason = json.reason;
  return typeof reason === "string" && reason.trim() !== "" ? capped(reason.trim()) : DEFAULT_DENY_REASON;
}

/**
 * Reads the verdict from a 2xx answer. Both spellings are accepted; if a service sends both and
 * they disagree, deny wins: a contradictory answer must not let a send through.
 */
function verdictOf(statusCode: number, text: string): ComplianceVerdict {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return unreachable(`answered ${statusCode} with a body that is not JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return unreachable(`answered ${statusCode} with JSON that is not an object`);
  }
  const json = value as Record<string, unknown>;
  const says = [
    json.allow === true ? "allow" : json.allow === false ? "deny" : undefined,
    json.decision === "allow" || json.decision === "deny" ? json.decision : undefined,
  ];
  if (says.includes("deny")) return { decision: "deny", reason: denyReason(json) };
  if (says.includes("allow")) return { decision: "allow" };
  return unreachable(`answered ${statusCode} without a verdict ("allow" or "decision")`);
}

function describeError(error: unknown, timeoutMs: number): string {
  const timedOut =
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError ||
    (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"));
  if (timedOut) return `timed out after ${timeoutMs} ms`;
  if (error instanceof AnswerTooLargeError) return error.message;
  // Happy Eyeballs reports every failed address at once; the first says enough.
  const shown = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  if (!(shown instanceof Error)) return `request failed: ${String(shown)}`;
  const code = (shown as { code?: unknown }).code;
  const cause = shown.cause instanceof Error ? `: ${shown.cause.message}` : "";
  return `request failed: ${typeof code === "string" ? `${code} ` : ""}${shown.message}${cause}`.trim();
}

/** The compliance check over HTTP: every outcome, failures included, becomes a verdict. */
export function createHttpComplianceChecker(
  options: HttpComplianceCheckerOptions,
): ComplianceChecker & { close(): Promise<void> } {
  const agent = createWebhookAgent({
    allowPrivateTargets: options.allowPrivateTargets,
    timeoutMs: AGENT_CEILING_MS,
    connectionsPerOrigin: 8,
  });

  async function exchange(url: URL, timeoutMs: number, payload: string): Promise<ComplianceVerdict> {
    const res = await request(url, {
      method: "POST",
      dispatcher: agent,
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        "user-agent": options.userAgent,
      },
      body: payload,
      // The signal bounds the whole exchange (connect, headers and body) by the org's timeout;
      // the agent's connect timeout alone is only the ceiling.
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    if (res.statusCode < 200 || res.statusCode >= 300) {
      // Only the status matters; a body that fails to drain must not change the verdict.
      await res.body.dump({ limit: MAX_READ_BYTES }).catch(() => undefined);
      // Redirects are not followed either: the URL the operator configured is the one that decides.
      return unreachable(`answered HTTP ${res.statusCode}`);
    }
    return verdictOf(res.statusCode, await readCapped(res.body));
  }

  return {
    async check(url: string, timeoutMs: number, req: ComplianceRequest): Promise<ComplianceVerdict> {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return unreachable("the configured URL is not valid");
      }
      if (!options.allowPrivateTargets && forbiddenLiteralHost(target)) {
        return unreachable(`refused: ${target.hostname} is not a public address`);
      }
      try {
        return await exchange(target, timeoutMs, body(req));
      } catch (error) {
        return unreachable(describeError(error, timeoutMs));
      }
    },
    close: () => agent.close(),
  };
}
