import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import type { OutboundUrlCheck } from "../../domain/context.js";

/** 2000::/3: every globally routed IPv6 unicast address is allocated from here. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

/**
 * Ranges a webhook must never reach: loopback, RFC 1918, unique-local, link-local (cloud
 * metadata lives there), CGNAT, unspecified, multicast and the rest of ipaddr.js's non-unicast
 * ranges. Only "unicast" addresses are public; IPv6 must also be global unicast, because
 * ipaddr.js calls the deprecated IPv4-compatible form (::10.0.0.1) plain unicast.
 */
export function isForbiddenAddress(address: string): boolean {
  // ipaddr.js also reads "010.0.0.1", "0x7f.1" or "2130706433", which resolvers disagree on: an
  // address that is not in canonical notation is refused rather than guessed at.
  if (isIP(address) === 0 || !ipaddr.isValid(address)) return true;
  let parsed = ipaddr.parse(address);
  // ::ffff:10.0.0.1 is 10.0.0.1 in disguise.
  if (parsed instanceof ipaddr.IPv6 && parsed.isIPv4MappedAddress()) parsed = parsed.toIPv4Address();
  if (parsed instanceof ipaddr.IPv6 && !parsed.match(GLOBAL_UNICAST_V6)) return true;
  return parsed.range() !== "unicast";
}

/** Name to addresses; `family` 0 means any. Injected in tests so that no real DNS is asked. */
export type Resolver = (
  hostname: string,
  options?: { family?: 0 | 4 | 6; hints?: number },
) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname, options = {}) =>
  (
    await lookup(hostname, { all: true, verbatim: true, family: options.family ?? 0, hints: options.hints })
  ).map((entry) => entry.address);

/** Why a webhook URL may not be used, or undefined when it may. Resolves the host name. */
export async function webhookUrlProblem(
  raw: string,
  options: { allowPrivateTargets: boolean; resolve?: Resolver },
): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute http(s) URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must use http or https";
  if (url.username !== "" || url.password !== "") return "must not contain credentials";
  if (options.allowPrivateTargets) return undefined;
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch {
      return `host ${host} does not resolve`;
    }
  }
  const bad = addresses.find(isForbiddenAddress);
  if (bad !== undefined || addresses.length === 0) {
    return `resolves to a private, loopback, link-local or otherwise non-public address (${bad ?? "none"}); set WEBHOOK_ALLOW_PRIVATE_TARGETS=true to allow it`;
  }
  return undefined;
}

/** The check domain code runs on URLs the server will call (`DomainContext.outboundUrlProblem`). */
export function outboundUrlCheck(options: { allowPrivateTargets: boolean }): OutboundUrlCheck {
  return (url) => webhookUrlProblem(url, options);
}
