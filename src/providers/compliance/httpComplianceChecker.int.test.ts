import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ComplianceRequest } from "../../domain/messages/complianceCheck.js";
import { createHttpComplianceChecker } from "./httpComplianceChecker.js";

const request: ComplianceRequest = {
  orgId: "org_1",
  messageId: "msg_1",
  channel: "sms",
  lead: {
    id: "lead_1",
    phone: "+12025550100",
    email: "ana@example.com",
    externalLeadId: "crm-42",
    timeZone: "America/Chicago",
  },
  message: { text: "Hi Ana, still looking for a place downtown?", subject: null },
};

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage["headers"];
  body: string;
}

type Handler = (res: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler;
let received: Received[] = [];
const checkers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({
      method: req.method,
      url: req.url,
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    });
    handler(res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(checkers.splice(0).map((checker) => checker.close()));
  // The timeout case leaves a request hanging on purpose.
  server.closeAllConnections();
  received = [];
});

afterAll(async () => {
  server.close();
  await once(server, "close");
});

function checker(allowPrivateTargets = true) {
  const created = createHttpComplianceChecker({ allowPrivateTargets, userAgent: "leadwire-test" });
  checkers.push(created);
  return created;
}

function answer(status: number, body: string): Handler {
  return (res) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body);
  };
}

describe("HTTP compliance checker: verdicts", () => {
  it("posts exactly the lead and message as JSON, and allows on { allow: true }", async () => {
    handler = answer(200, JSON.stringify({ allow: true }));

    const verdict = await checker().check(`${base}/check?key=1`, 2000, request);

    expect(verdict).toEqual({ decision: "allow" });
    expect(received).toHaveLength(1);
    const [req] = received;
    expect(req?.method).toBe("POST");
    expect(req?.url).toBe("/check?key=1");
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(req?.headers["user-agent"]).toBe("leadwire-test");
    expect(JSON.parse(req?.body ?? "null")).toEqual({
      orgId: "org_1",
      messageId: "msg_1",
      channel: "sms",
      lead: {
        id: "lead_1",
        phone: "+12025550100",
        email: "ana@example.com",
        externalLeadId: "crm-42",
        timeZone: "America/Chicago",
      },
      message: { text: "Hi Ana, still looking for a place downtown?", subject: null },
    });
  });

  it("sends nothing beyond the documented fields", async () => {
    handler = answer(200, JSON.stringify({ allow: true }));
    const extra = { ...request, lead: { ...request.lead, notes: "private" }, secret: "x" };

    await checker().check(`${base}/check`, 2000, extra);

    expect(received[0]?.body).not.toContain("private");
    expect(received[0]?.body).not.toContain("secret");
  });

  it('allows on { decision: "allow" }', async () => {
    handler = answer(200, JSON.stringify({ decision: "allow" }));
    expect(await checker().check(`${base}/check`, 2000, request)).toEqual({ decision: "allow" });
  });

  it("denies with the service's reason", async () => {
    handler = answer(200, JSON.stringify({ allow: false, reason: "state DNC list" }));
    expect(await checker().check(`${base}/check`, 2000, request)).toEqual({
      decision: "deny",
      reason: "state DNC list",
    });
    handler = answer(200, JSON.stringify({ decision: "deny", reason: "litigator" }));
    expect(await checker().check(`${base}/check`, 2000, request)).toEqual({
      decision: "deny",
      reason: "litigator",
    });
  });

  it("denies with a default reason when the service gives none", async () => {
    handler = answer(200, JSON.stringify({ decision: "deny" }));
    expect(await checker().check(`${base}/check`, 2000, request)).toEqual({
      decision: "deny",
      reason: "denied by the compliance service",
    });
  });

  it("lets deny win over a contradictory allow", async () => {
    handler = answer(200, JSON.stringify({ allow: true, decision: "deny" }));
    expect(await checker().check(`${base}/check`, 2000, request)).toMatchObject({ decision: "deny" });
  });
});

describe("HTTP compliance checker: unreachable", () => {
  it("treats a 500 as unreachable, naming the status", async () => {
    handler = answer(500, JSON.stringify({ allow: true }));
    expect(await checker().check(`${base}/check`, 2000, request)).toEqual({
      decision: "unreachable",
      reason: "answered HTTP 500",
    });
  });

  it("does not follow a redirect", async () => {
    handler = (res) => {
      res.writeHead(302, { location: `${base}/elsewhere` });
      res.end();
    };
    expect(await checker().check(`${base}/check`, 2000, request)).toEqual({
      decision: "unreachable",
      reason: "answered HTTP 302",
    });
    expect(received).toHaveLength(1);
  });

  it("treats a body that is not JSON as unreachable", async () => {
    handler = answer(200, "<html>oops</html>");
    expect(await checker().check(`${base}/check`, 2000, request)).toEqual({
      decision: "unreachable",
      reason: expect.stringContaining("not JSON"),
    });
  });

  it("treats JSON without a verdict as unreachable", async () => {
    handler = answer(200, JSON.stringify({ ok: true }));
    expect(await checker().check(`${base}/check`, 2000, request)).toEqual({
      decision: "unreachable",
      reason: expect.stringContaining("without a verdict"),
    });
  });

  it("gives up on a silent service within the timeout", async () => {
    handler = () => {};
    const started = performance.now();

    const verdict = await checker().check(`${base}/check`, 300, request);

    expect(verdict).toEqual({ decision: "unreachable", reason: "timed out after 300 ms" });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("reports a refused connection", async () => {
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const { port } = closed.address() as AddressInfo;
    closed.close();
    await once(closed, "close");

    const verdict = await checker().check(`http://127.0.0.1:${port}/check`, 2000, request);

    expect(verdict).toEqual({ decision: "unreachable", reason: expect.stringContaining("ECONNREFUSED") });
  });

  it("refuses a loopback URL unless private targets are allowed, and the server sees nothing", async () => {
    handler = answer(200, JSON.stringify({ allow: true }));

    expect(await checker(false).check(`${base}/check`, 2000, request)).toEqual({
      decision: "unreachable",
      reason: "refused: 127.0.0.1 is not a public address",
    });
    const port = new URL(base).port;
    expect(await checker(false).check(`http://localhost:${port}/check`, 2000, request)).toEqual({
      decision: "unreachable",
      reason: expect.stringContaining("non-public"),
    });
    expect(received).toEqual([]);
  });

  it("treats a URL that does not parse as unreachable", async () => {
    expect(await checker().check("not a url", 2000, request)).toEqual({
      decision: "unreachable",
      reason: "the configured URL is not valid",
    });
  });
});
