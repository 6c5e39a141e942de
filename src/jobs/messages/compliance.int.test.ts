import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../test/harness.js";

let t: TestApp;
let server: Server;
let url: string;
let answer: { status: number; body: string; hang?: boolean } = { status: 200, body: '{"allow":true}' };
const seen: unknown[] = [];
let key: string;
let phone = 500;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      if (answer.hang) return;
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/check`;
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" } });
  key = await t.newOrg();
  await t.request("POST", "/v1/profiles", { key, body: { name: "P" } });
  t.clock.set("2024-01-15T16:30:00.000Z");
});
afterAll(async () => {
  await t.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function sendOne(): Promise<{ status: string; blocked_reason: string | null }> {
  const lead = await t.request("POST", "/v1/leads/create", {
    key,
    body: {
      firstName: "A",
      lastName: "B",
      phone: `+1202555${String(phone++).padStart(4, "0")}`,
      customerProfile: "P",
    },
  });
  const leadId = (lead.body as { id: string }).id;
  const res = await t.request("POST", `/v1/leads/${leadId}/sendMessage`, {
    key,
    body: { message: "hello", overrideBusinessHours: true },
  });
  await t.app.messages.runDue();
  return t.app.database.db
    .selectFrom("messages")
    .select(["status", "blocked_reason"])
    .where("id", "=", (res.body as { messageId: string }).messageId)
    .executeTakeFirstOrThrow();
}

const configure = (onUnreachable: "block" | "allow") =>
  t.request("PATCH", "/v1/settings", {
    key,
    body: { complianceCheck: { url, channels: ["sms"], timeoutMs: 300, onUnreachable } },
  });

describe("the external compliance check", () => {
  it("asks before each send and honours allow and deny", async () => {
    expect((await configure("block")).status).toBe(200);
    answer = { status: 200, body: '{"allow":true}' };
    expect(await sendOne()).toMatchObject({ status: "sent" });
    expect(seen.at(-1)).toMatchObject({ channel: "sms", message: { text: "hello", subject: null } });
    answer = { status: 200, body: '{"allow":false,"reason":"state law: no texts on Sunday"}' };
    expect(await sendOne()).toEqual({
      status: "blocked",
      blocked_reason: "compliance check denied: state law: no texts on Sunday",
    });
  });

  it("follows the failure mode when the service is unreachable: block or allow, never silently", async () => {
    answer = { status: 500, body: "oops" };
    await configure("block");
    const blocked = await sendOne();
    expect(blocked.status).toBe("blocked");
    expect(blocked.blocked_reason).toMatch(/^compliance check unreachable \(blocked by settings\)/);
    answer = { status: 200, body: "", hang: true };
    await configure("allow");
    expect(await sendOne()).toMatchObject({ status: "sent" });
  });
});
