import { describe, expect, it } from "vitest";
import { createEndpoint, listText } from "../../../../test/endpointFixtures.js";
import { testAppForFile } from "../../../../test/harness.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { RotateSecretResponse } from "./rotateSecret.js";

const t = testAppForFile();

const original = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async function secrets(id: string) {
  return t.app.database.db
    .selectFrom("webhook_endpoints")
    .select(["secret", "previous_secret", "previous_secret_expires_at"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

describe("POST /v1/webhooks/endpoints/{id}/rotate-secret", () => {
  it("generates a new secret and keeps the old one signing for 24 hours", async () => {
    const endpoint = await createEndpoint(t, t.key, { secret: original });
    t.clock.advance(5000);
    const res = await t.post<RotateSecretResponse>(
      `/v1/webhooks/endpoints/${endpoint.id}/rotate-secret`,
      undefined,
      { key: t.key },
    );
    expect(res.status, res.text).toBe(200);
    const body = res.body;
    const expiresAt = new Date(t.clock.now().getTime() + 24 * 3600 * 1000).toISOString();
    expect(body).toEqual({
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      previousSecretExpiresAt: expiresAt,
    });
    expect(await secrets(endpoint.id)).toEqual({
      secret: body.secret,
      previous_secret: original,
      previous_secret_expires_at: expiresAt,
    });
    const got = await t.get(`/v1/webhooks/endpoints/${endpoint.id}`, { key: t.key });
    expect(got.body).toMatchObject({ secretPrefix: `${body.secret.slice(0, 10)}…` });
    expect(got.text).not.toContain(body.secret);
    expect(await listText(t, t.key)).not.toContain(body.secret);
  });

  it("takes a secret from the caller, with the same rules as at creation", async () => {
    const endpoint = await createEndpoint(t, t.key, { secret: original });
    const url = `/v1/webhooks/endpoints/${endpoint.id}/rotate-secret`;
    const bad = await t.post<ErrorBody>(url, { secret: "short" }, { key: t.key });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d) => d.path)).toContain("secret");
    expect((await t.post(url, { other: 1 }, { key: t.key })).status).toBe(400);
    expect((await secrets(endpoint.id)).secret).toBe(original);

    const res = await t.post(url, { secret: "my-own-secret-value" }, { key: t.key });
    expect(res.body).toMatchObject({ secret: "my-own-secret-value" });
    expect(await secrets(endpoint.id)).toMatchObject({
      secret: "my-own-secret-value",
      previous_secret: original,
    });
  });
});
