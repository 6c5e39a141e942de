import { type RequestInit as UndiciRequestInit, fetch as undiciFetch } from "undici";
import { createWebhookAgent, ForbiddenAddressError, forbiddenLiteralHost } from "../http/webhookAgent.js";

/**
 * `fetch` for model servers an org names in its settings: the webhooks' connections, which
 * refuse loopback, private and link-local addresses (also after DNS, so no rebinding) unless
 * WEBHOOK_ALLOW_PRIVATE_TARGETS allows them, as for webhook URLs.
 */
export function createPublicOnlyFetch(options: { allowPrivateTargets: boolean; timeoutMs: number }): {
  fetch: typeof fetch;
  close: () => Promise<void>;
} {
  const agent = createWebhookAgent({
    allowPrivateTargets: options.allowPrivateTargets,
    timeoutMs: options.timeoutMs,
    connectionsPerOrigin: 16,
  });
  const publicFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    if (!options.allowPrivateTargets && forbiddenLiteralHost(url))
      throw new ForbiddenAddressError(`${url.hostname} is not a public address`);
    // The two fetch type families describe the same WHATWG objects; undici's is the one with `dispatcher`.
    const response = await undiciFetch(url, { ...(init as UndiciRequestInit), dispatcher: agent });
    return response as unknown as Response;
  };
  return { fetch: publicFetch, close: () => agent.close() };
}
