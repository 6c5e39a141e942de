import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import type { Agent } from "undici";
import { request } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Resolver, webhookUrlProblem } from "./addressPolicy.js";
import {
  createWebhookAgent,
  ForbiddenAddressError,
  forbiddenLiteralHost,
  publicOnlyLookup,
} from "./webhookAgent.js";

const PUBLIC = "93.184.216.34";

let server: Server;
let port: number;
let received: string[] = [];
const agents: Agent[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    res.end("ok");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
  received = [];
});

afterAll(async () => {
  server.close();
  await once(server, "close");
});

function agent(allowPrivateTargets: boolean, resolve?: Resolver): Agent {
  const created = createWebhookAgent({
    allowPrivateTargets,
    timeoutMs: 2000,
    connectionsPerOrigin: 2,
    ...(resolve === undefined ? {} : { resolve }),
  });
  agents.push(created);
  return created;
}

/** A DNS server in a box: answers each question with the next answer in line. */
function scriptedResolver(...answers: string[][]): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    return answers[Math.min(asked.length, answers.length) - 1] ?? [];
  };
  return Object.assign(resolve, { asked });
}

async function post(url: string, dispatcher: Agent) {
  const res = await request(url, { method: "POST", body: "{}", dispatcher });
  await res.body.text();
  return res.statusCode;
}

describe("createWebhookAgent with private targets refused", () => {
  it("refuses localhost at connect time, and the server sees nothing", async () => {
    const refused = post(`http://localhost:${port}/hook`, agent(false));
    await expect(refused).rejects.toBeInstanceOf(ForbiddenAddressError);
    await expect(refused).rejects.toMatchObject({
      code: "EFORBIDDENADDRESS",
      message: /localhost resolves to non-public/,
    });
    expect(received).toEqual([]);
  });

  it.each(["127.0.0.1", "[::ffff:127.0.0.1]"])(
    "refuses the literal %s itself, for callers that skip forbiddenLiteralHost",
    async (host) => {
      await expect(post(`http://${host}:${port}/hook`, agent(false))).rejects.toBeInstanceOf(
        ForbiddenAddressError,
      );
      expect(received).toEqual([]);
    },
  );

  it("flags literal non-public hosts before any connect", () => {
    expect(forbiddenLiteralHost(new URL("http://127.0.0.1:1/"))).toBe(true);
    expect(forbiddenLiteralHost(new URL("http://[::1]:1/"))).toBe(true);
    expect(forbiddenLiteralHost(new URL("http://169.254.169.254/latest/meta-data"))).toBe(true);
    expect(forbiddenLiteralHost(new URL(`http://${PUBLIC}/`))).toBe(false);
    expect(forbiddenLiteralHost(new URL("http://localhost/"))).toBe(false);
  });

  it("passes the resolver's error through when the name does not resolve", async () => {
    const nxdomain: Resolver = async (hostname) => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    };
    await expect(post(`http://gone.example:${port}/`, agent(false, nxdomain))).rejects.toMatchObject({
      code: "ENOTFOUND",
    });
  });
});

describe("createWebhookAgent with private targets allowed", () => {
  it("delivers to localhost", async () => {
    await expect(post(`http://localhost:${port}/hook`, agent(true))).resolves.toBe(200);
    await expect(post(`http://127.0.0.1:${port}/again`, agent(true))).resolves.toBe(200);
    expect(received).toEqual(["POST /hook", "POST /again"]);
  });
});

describe("DNS rebinding", () => {
  it("a name that was public when saved and private at connect time is refused at connect time", async () => {
    const rebinding = scriptedResolver([PUBLIC], ["127.0.0.1"]);
    const url = `http://hooks.rebind.example:${port}/hook`;
    await expect(
      webhookUrlProblem(url, { allowPrivateTargets: false, resolve: rebinding }),
    ).resolves.toBeUndefined();

    const refused = post(url, agent(false, rebinding));
    await expect(refused).rejects.toBeInstanceOf(ForbiddenAddressError);
    await expect(refused).rejects.toThrow(/non-public 127\.0\.0\.1/);
    // One question when saved, one when connecting: the socket never resolved the name on its own
    // (hooks.rebind.example does not exist in real DNS, so a bypass would fail with ENOTFOUND).
    expect(rebinding.asked).toEqual(["hooks.rebind.example", "hooks.rebind.example"]);
    expect(received).toEqual([]);
  });

  it("an answer mixing a public and a private address is refused whole", async () => {
    const mixed = scriptedResolver([PUBLIC, "127.0.0.1"]);
    await expect(post(`http://mixed.rebind.example:${port}/`, agent(false, mixed))).rejects.toThrow(
      /non-public 127\.0\.0\.1/,
    );
    expect(received).toEqual([]);
  });

  it.each([true, false])(
    "the socket connects to the vetted answer (autoSelectFamily %s)",
    async (autoSelectFamily) => {
      const vetted = scriptedResolver([PUBLIC]);
      const socket = connect({
        host: "vetted.rebind.example",
        port: 9,
        lookup: publicOnlyLookup(vetted),
        autoSelectFamily,
      });
      socket.on("error", () => {});
      // 'lookup' fires after resolving and before connecting; destroying here keeps the test offline.
      const [error, address, family, host] = await once(socket, "lookup");
      socket.destroy();
      expect({ error, address, family, host }).toEqual({
        error: null,
        address: PUBLIC,
        family: 4,
        host: "vetted.rebind.example",
      });
      expect(vetted.asked).toEqual(["vetted.rebind.example"]);
    },
  );
});
