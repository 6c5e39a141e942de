import { describe, expect, it } from "vitest";
import { isForbiddenAddress, type Resolver, webhookUrlProblem } from "./addressPolicy.js";

const FORBIDDEN = [
  ["127.0.0.1", "loopback"],
  ["127.8.8.8", "loopback, all of 127/8"],
  ["::1", "IPv6 loopback"],
  ["10.0.0.1", "RFC 1918"],
  ["172.16.0.1", "RFC 1918, start of 172.16/12"],
  ["172.31.255.255", "RFC 1918, end of 172.16/12"],
  ["192.168.1.1", "RFC 1918"],
  ["169.254.169.254", "link-local: cloud metadata"],
  ["100.64.0.1", "CGNAT"],
  ["0.0.0.0", "unspecified (reaches localhost on Linux)"],
  ["::", "IPv6 unspecified"],
  ["fc00::1", "unique-local"],
  ["fd12::1", "unique-local"],
  ["fe80::1", "IPv6 link-local"],
  ["fe80::1%eth0", "IPv6 link-local with a zone"],
  ["::ffff:10.0.0.1", "IPv4-mapped private"],
  ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
  ["::ffff:7f00:1", "IPv4-mapped loopback, hex form"],
  ["::a00:1", "IPv4-compatible (deprecated) private"],
  ["64:ff9b::a00:1", "NAT64 of a private address"],
  ["2002:a00:1::", "6to4 of a private address"],
  ["fec0::1", "deprecated site-local"],
  ["224.0.0.1", "multicast"],
  ["ff02::1", "IPv6 multicast"],
  ["255.255.255.255", "broadcast"],
  ["192.0.2.10", "documentation (TEST-NET-1)"],
  ["010.0.0.1", "octal notation: ambiguous"],
  ["0x7f.1", "hex shorthand: ambiguous"],
  ["2130706433", "integer notation: ambiguous"],
  ["", "empty"],
  ["localhost", "not an address"],
] as const;

const ALLOWED = [
  "8.8.8.8",
  "93.184.216.34",
  "2606:4700::1111",
  "2001:4860:4860::8888",
  "::ffff:8.8.8.8",
] as const;

/** A resolver that answers from a table and records what it was asked. */
function stubResolver(table: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    const answer = table[hostname];
    if (answer === undefined)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return answer;
  };
  return Object.assign(resolve, { asked });
}

const policy = (resolve: Resolver) => ({ allowPrivateTargets: false, resolve });

describe("isForbiddenAddress", () => {
  it.each(FORBIDDEN)("refuses %s (%s)", (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(ALLOWED)("allows public %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

describe("webhookUrlProblem", () => {
  const resolve = stubResolver({
    "hooks.example.com": ["93.184.216.34", "2606:4700::1111"],
    "internal.example.com": ["10.0.0.7"],
    "metadata.example.com": ["169.254.169.254"],
    "split.example.com": ["93.184.216.34", "192.168.1.20"],
    "nothing.example.com": [],
  });

  it("accepts a host whose every address is public", async () => {
    await expect(
      webhookUrlProblem("https://hooks.example.com/leadwire", policy(resolve)),
    ).resolves.toBeUndefined();
    await expect(webhookUrlProblem("http://8.8.8.8:8080/x", policy(resolve))).resolves.toBeUndefined();
    await expect(webhookUrlProblem("https://[2606:4700::1111]/x", policy(resolve))).resolves.toBeUndefined();
  });

  it.each([
    ["https://internal.example.com/hook", /10\.0\.0\.7/],
    ["https://metadata.example.com/latest/meta-data", /169\.254\.169\.254/],
    ["https://split.example.com/hook", /192\.168\.1\.20/],
    ["https://nothing.example.com/hook", /non-public address \(none\)/],
  ])("refuses %s, naming the address", async (url, address) => {
    const problem = await webhookUrlProblem(url, policy(resolve));
    expect(problem).toMatch(address);
    expect(problem).toMatch(/WEBHOOK_ALLOW_PRIVATE_TARGETS/);
  });

  it.each([
    "http://127.0.0.1:8080/hook",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://0177.0.0.1/hook",
    "http://2130706433/hook",
    "http://169.254.169.254./latest",
    "http://0.0.0.0:3000/",
  ])("refuses the literal %s without asking DNS", async (url) => {
    const untouched = stubResolver({});
    await expect(webhookUrlProblem(url, policy(untouched))).resolves.toMatch(/non-public/);
    expect(untouched.asked).toEqual([]);
  });

  it("refuses a host that does not resolve", async () => {
    await expect(webhookUrlProblem("https://gone.example.com/", policy(resolve))).resolves.toMatch(
      /does not resolve/,
    );
  });

  it.each([
    ["ftp://hooks.example.com/x", /http or https/],
    ["file:///etc/passwd", /http or https/],
    ["gopher://hooks.example.com/", /http or https/],
    ["javascript:alert(1)", /http or https/],
    ["https://user:pass@hooks.example.com/", /credentials/],
    ["https://token@hooks.example.com/", /credentials/],
    ["/relative/path", /absolute/],
    ["not a url", /absolute/],
  ])("refuses %s", async (url, reason) => {
    await expect(webhookUrlProblem(url, policy(resolve))).resolves.toMatch(reason);
  });

  it("with allowPrivateTargets accepts loopback and private hosts but still refuses bad schemes and credentials", async () => {
    const open = { allowPrivateTargets: true, resolve };
    await expect(webhookUrlProblem("http://127.0.0.1:3000/hook", open)).resolves.toBeUndefined();
    await expect(webhookUrlProblem("http://localhost:3000/hook", open)).resolves.toBeUndefined();
    await expect(webhookUrlProblem("https://internal.example.com/", open)).resolves.toBeUndefined();
    await expect(webhookUrlProblem("ftp://127.0.0.1/", open)).resolves.toMatch(/http or https/);
    await expect(webhookUrlProblem("http://a:b@127.0.0.1/", open)).resolves.toMatch(/credentials/);
  });
});
