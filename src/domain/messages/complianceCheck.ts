/**
 * The operator's external compliance middleware: before a send on a configured channel, the lead
 * and message are shown to it and it decides. The domain knows only this shape; the HTTP exchange
 * lives in providers/compliance.
 */

export interface ComplianceRequest {
  orgId: string;
  messageId: string;
  channel: "sms" | "email";
  lead: {
    id: string;
    phone: string;
    email: string | null;
    externalLeadId: string | null;
    timeZone: string | null;
  };
  message: { text: string; subject: string | null };
}

export type ComplianceVerdict =
  | { decision: "allow" }
  | { decision: "deny"; reason: string }
  /** No verdict could be had (timeout, error, nonsense answer): the org's failure mode decides. */
  | { decision: "unreachable"; reason: string };

export interface ComplianceChecker {
  /** Never throws: every failure is an "unreachable" verdict, so no send slips through on an exception. */
  check(url: string, timeoutMs: number, request: ComplianceRequest): Promise<ComplianceVerdict>;
}

/** Applies the org's failure mode: returns undefined to send, or the reason to block. */
export function complianceBlockReason(
  verdict: ComplianceVerdict,
  onUnreachable: "block" | "allow",
): string | undefined {
  switch (verdict.decision) {
    case "allow":
      return undefined;
    case "deny":
      return `compliance check denied: ${verdict.reason}`;
    case "unreachable":
      return onUnreachable === "block"
        ? `compliance check unreachable (blocked by settings): ${verdict.reason}`
        : undefined;
  }
}
