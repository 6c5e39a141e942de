import type { CreateApiKeyResponse } from "../src/http/routes/apiKeys/createApiKey.js";
import type { CreateLeadResponse } from "../src/http/routes/leads/createLead.js";
import type { SendMessageResponse } from "../src/http/routes/leads/sendMessage.js";
import type { CreateNotificationResponse } from "../src/http/routes/notifications/createNotification.js";
import type { CreateProfileResponse } from "../src/http/routes/profiles/createProfile.js";
import type { CreateTagResponse } from "../src/http/routes/tags/createTag.js";
import type { CreateEndpointResponse } from "../src/http/routes/webhooks/createEndpoint.js";
import type { TestClient } from "./client.js";

/**
 * One row of each kind a path parameter names, made through the API as the org of `key`, keyed
 * by the parameter's name and ready to put in a path (`/v1/leads/{leadId}` ← `leadId`). The
 * endpoint calls a closed loopback port, so the app needs WEBHOOK_ALLOW_PRIVATE_TARGETS.
 */
export type PathFixtures = Record<string, string>;

export async function seedPathFixtures(client: TestClient, key: string): Promise<PathFixtures> {
  const post = async <TRes>(url: string, body: unknown): Promise<TRes> => {
    const res = await client.post<TRes>(url, body, { key });
    if (res.status >= 300) throw new Error(`fixture ${url}: ${res.status} ${res.text}`);
    return res.body;
  };
  const profile = await post<CreateProfileResponse>("/v1/profiles", { name: "Fuzz" });
  const lead = await post<CreateLeadResponse>("/v1/leads/create", {
    firstName: "Fuzz",
    lastName: "Lead",
    phone: "+12025550142",
    email: "fuzz@example.com",
    customerProfile: "Fuzz",
  });
  const tag = await post<CreateTagResponse>("/v1/tags", { name: "fuzzy" });
  const notification = await post<CreateNotificationResponse>("/v1/notifications", {
    name: "Fuzz rule",
    condition: "wants a call",
  });
  // A closed loopback port: a test delivery fails fast and stays on this machine.
  const endpoint = await post<CreateEndpointResponse>("/v1/webhooks/endpoints", {
    url: "http://127.0.0.1:9/hook",
    events: ["*"],
  });
  const apiKey = await post<CreateApiKeyResponse>("/v1/api-keys", { name: "spare" });
  const sent = await post<SendMessageResponse>(`/v1/leads/${lead.id}/sendMessage`, { message: "hello" });
  return {
    profileId: profile.id,
    leadId: lead.id,
    phone: encodeURIComponent("+12025550142"),
    tagId: tag.id,
    notificationId: notification.id,
    endpointId: endpoint.id,
    keyId: apiKey.id,
    messageId: sent.messageId,
  };
}
