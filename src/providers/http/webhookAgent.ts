import type { LookupAddress, LookupOptions } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { Agent, buildConnector } from "undici";
import { isForbiddenAddress, type Resolver, systemResolver } from "./addressPolicy.js";

export class ForbiddenAddressError extends Error {
  override readonly name = "ForbiddenAddressError";
  readonly code = "EFORBIDDENADDRESS";
}

type LookupCallback = Parameters<LookupFunction>[2];

function requestedFamily(family: LookupOptions["family"]): 0 | 4 | 6 {
  if (family === 4 || family === "IPv4") return 4;
  if (family === 6 || family === "IPv6") return 6;
  return 0;
}

/** Hands the socket the resolver's answer only when every address in it is public. */
function answerIfPublic(hostname: string, addresses: string[], all: boolean, callback: LookupCallback): void {
  // One private address refuses the whole answer: with Happy Eyeballs the socket tries them all.
  const bad = addresses.find((address) => isForbiddenAddress(address));
  const list: LookupAddress[] = addresses.map((address) => ({ address, family: isIP(address) }));
  const [first] = list;
  if (bad !== undefined || first === undefined) {
    callback(new ForbiddenAddressError(`${hostname} resolves to non-public ${bad ?? "nothing"}`), "", 0);
  } else if (all) {
    callback(null, list);
  } else {
    callback(null, first.address, first.family);
  }
}

/**
 * A DNS lookup that refuses non-public addresses. The socket connects to the address this
 * returns, so the vetted address is the one used: a rebinding DNS answer given after the URL
 * was checked cannot switch it. `resolve` is the DNS seam for tests.
 */
export function publicOnlyLookup(resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    const asked = {
      family: requestedFamily(options.family),
      ...(options.hints === undefined ? {} : { hints: options.hints }),
    };
    resolve(hostname, asked).then(
      (addresses) => answerIfPublic(hostname, addresses, options.all === true, callback),
      (error: unknown) => {
        const failure =
          error instanceof Error ? error : new Error(`lookup of ${hostname} failed: ${String(error)}`);
        callback(failure, "", 0);
      },
    );
  };
}

/** Literal IPs never reach the lookup, so they are checked before connecting. */
export function forbiddenLiteralHost(url: URL): boolean {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return isIP(host) !== 0 && isForbiddenAddress(host);
}

/**
 * undici's connector, refusing literal non-public IPs itself: callers check forbiddenLiteralHost
 * for a clear message, but the agent must stay safe for a caller that forgets.
 */
function publicOnlyConnector(options: { timeout: number; resolve: Resolver }): buildConnector.connector {
  const connect = buildConnector({ timeout: options.timeout, lookup: publicOnlyLookup(options.resolve) });
  return (target, callback) => {
    const host = target.hostname.replace(/^\[(.*)\]$/, "$1");
    if (isIP(host) !== 0 && isForbiddenAddress(host)) {
      callback(new ForbiddenAddressError(`${host} is not a public address`), null);
      return;
    }
    connect(target, callback);
  };
}

export interface WebhookAgentOptions {
  allowPrivateTargets: boolean;
  timeoutMs: number;
  /** Sockets per origin; the per-endpoint concurrency limit sits above this. */
  connectionsPerOrigin: number;
  /** Name resolution used at connect time; the system's DNS unless a test injects one. */
  resolve?: Resolver;
}

/** One keep-alive pool per origin, with timeouts and (unless allowed) SSRF-safe connects. */
export function createWebhookAgent(options: WebhookAgentOptions): Agent {
  const connectTimeout = Math.min(options.timeoutMs, 10_000);
  return new Agent({
    connections: options.connectionsPerOrigin,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 30_000,
    connect: options.allowPrivateTargets
      ? { timeout: connectTimeout }
      : publicOnlyConnector({ timeout: connectTimeout, resolve: options.resolve ?? systemResolver }),
  });
}
