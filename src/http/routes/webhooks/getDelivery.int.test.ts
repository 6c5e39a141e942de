import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deliveryId, deliveryLogForFile, hexId, viewOf } from "../../../../test/deliveryLog.js";
import { testAppForFile } from "../../../../test/harness.js";
import { type Receiver, startReceiver } from "../../../../test/receiver.js";
import { eventSource, TEST_SECRET } from "../../../../test/webhookFixtures.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { CreateEndpointResponse } from "./createEndpoint.js";
import type { GetDeliveryResponse } from "./getDelivery.js";
import type { ListDeliveriesResponse } from "./listDeliveries.js";
import type { RotateSecretResponse } from "./rotateSecret.js";

const t = testAppForFile();
const log = deliveryLogForFile(t);

describe("GET /v1/webhooks/deliveries/{id}", () => {
  it("returns the delivery with its payload and its attempts, oldest first", async () => {
    const res = await t.get(`/v1/webhooks/deliveries/${deliveryId(6)}`, { key: log().orgA.key });
    expect(res.status, res.text).toBe(200);
    const six = log().seededA.find((row) => row.id === deliveryId(6));
    expect(six).toBeDefined();
    const event = await t.app.database.db
      .selectFrom("events")
      .select("body")
      .where("id", "=", hexId(3))
      .executeTakeFirstOrThrow();
    const attempt = (id: string, attemptedAt: string, statusCode: number | null, error: string | null) => ({
      id,
      deliveryId: deliveryId(6),
      attemptedAt,
      durationMs: 120,
      statusCode,
      responseBody: statusCode === null ? null : "oops",
      error,
      succeeded: false,
      // Seeded as attempts made before headers were stored.
      requestHeaders: null,
    });
    expect(res.body).toEqual({
      ...(six ? viewOf(six) : {}),
      payload: JSON.parse(event.body),
      attempts: [
        attempt("wha_01", "2024-01-15T11:00:00.000Z", null, "timeout"),
        attempt("wha_02", "2024-01-15T11:00:06.000Z", 500, null),
        attempt("wha_03", "2024-01-15T11:00:06.000Z", 503, null),
      ],
    });
  });

  it("returns the exact event body as payload and no attempts for an untried delivery", async () => {
    const res = await t.get<GetDeliveryResponse>(`/v1/webhooks/deliveries/${deliveryId(3)}`, {
      key: log().orgA.key,
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body.payload)).toBe(log().bodyOfEvent1);
    expect(res.body.attempts).toEqual([]);
    expect(res.body.status).toBe("pending");
  });

  it("answers 404 for another org's delivery and for an unknown one", async () => {
    for (const [org, id] of [
      [log().orgB, deliveryId(6)],
      [log().orgA, deliveryId(100)],
      [log().orgA, "whd_nope"],
    ] as const) {
      const res = await t.get<ErrorBody>(`/v1/webhooks/deliveries/${id}`, { key: org.key });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("NOT_FOUND");
    }
  });
});

describe("the request headers of each attempt", () => {
  // An app of its own, sending to a loopback receiver: the dispatcher must not touch the seeded rows.
  const live = testAppForFile({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" } });
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver((_request, index) =>
      index === 0 ? { status: 500, body: "down" } : { status: 200, body: "ok" },
    );
  });
  afterAll(() => receiver.close());

  it("are stored as the receiver got them, signatures included, on every attempt", async () => {
    const key = live.key;
    const created = await live.post<CreateEndpointResponse>(
      "/v1/webhooks/endpoints",
      { url: `${receiver.url}/hook`, secret: TEST_SECRET },
      { key },
    );
    expect(created.status, created.text).toBe(201);
    const endpointId = created.body.id;
    // During a rotation both Standard Webhooks signatures are sent: the stored header holds both.
    const rotated = await live.post<RotateSecretResponse>(
      `/v1/webhooks/endpoints/${endpointId}/rotate-secret`,
      undefined,
      { key },
    );
    const secret = rotated.body.secret;
    const source = await eventSource(live, key);
    await source.emit("Zoë 👋");

    // The first attempt fails (500), the retry after it succeeds: both are recorded by the dispatcher.
    expect(await live.app.webhooks.runDue()).toBe(1);
    live.clock.advance(60_000);
    expect(await live.app.webhooks.runDue()).toBe(1);
    expect(receiver.received).toHaveLength(2);

    const listed = await live.get<ListDeliveriesResponse>(
      `/v1/webhooks/deliveries?endpointId=${endpointId}`,
      {
        key,
      },
    );
    const [delivery] = listed.body.deliveries;
    const res = await live.get<GetDeliveryResponse>(`/v1/webhooks/deliveries/${delivery?.id}`, { key });
    expect(res.status, res.text).toBe(200);
    const attempts = res.body.attempts;
    expect(attempts.map((a) => a.statusCode)).toEqual([500, 200]);
    for (const [i, attempt] of attempts.entries()) {
      const got = receiver.received[i];
      // Everything the receiver got but what the HTTP client adds for the connection.
      const { host, connection, "content-length": length, ...signed } = got?.headers ?? {};
      expect([host, connection, length].every((v) => v !== undefined)).toBe(true);
      expect(attempt.requestHeaders).toEqual(signed);
      expect(Object.keys(signed).sort()).toEqual([
        "content-type",
        "user-agent",
        "webhook-id",
        "webhook-signature",
        "webhook-timestamp",
        "x-signature-sha256",
      ]);
      // The stored values verify against the body the receiver got, with either secret.
      const headers = attempt.requestHeaders ?? {};
      const body = got?.body.toString("utf8") ?? "";
      expect(headers["webhook-signature"]?.split(" ")).toHaveLength(2);
      // The reference library checks the timestamp against its clock: set it to the attempt's.
      vi.useFakeTimers({ toFake: ["Date"], now: Number(headers["webhook-timestamp"]) * 1000 });
      try {
        for (const signingSecret of [secret, TEST_SECRET]) {
          expect(() => new Webhook(signingSecret).verify(body, headers)).not.toThrow();
        }
      } finally {
        vi.useRealTimers();
      }
      expect(headers["x-signature-sha256"]).toBe(createHmac("sha256", secret).update(body).digest("hex"));
    }
    const [first, second] = receiver.received.map((r) => r.headers["webhook-timestamp"]);
    expect(Number(second) - Number(first)).toBe(60);
  });
});
